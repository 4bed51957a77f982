namespace HotDash.Dashboard.Tests.Browser;

/// <summary>
/// The Debian <c>chromium</c> package the browser tests drive (<c>./hotdash test</c> installs it): Playwright's own
/// browser builds are never downloaded (<c>playwright install</c> needs a host this machine cannot reach).
/// </summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>
    /// Headless, no sandbox (root in CI) and nothing that phones home: no QUIC, no background networking, no component
    /// updates, no sync, so a test only ever talks to 127.0.0.1.
    /// </summary>
    public static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public static bool IsInstalled => File.Exists(ExecutablePath);
}
