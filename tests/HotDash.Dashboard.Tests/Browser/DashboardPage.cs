using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace HotDash.Dashboard.Tests.Browser;

/// <summary>
/// One test's browser page on the dashboard: navigation that waits for the Blazor circuit, the sign-in form, bounded
/// polls, and a full-page screenshot under <c>screenshots/</c> of the test output folder when the test ends, passed or
/// failed.
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    /// <summary>
    /// Runs before the page's own scripts and watches Blazor's WebSocket. Pages are prerendered, so their HTML is there
    /// before anything is interactive, and a value typed or a click made then is lost. The circuit is interactive once
    /// the server has attached the root components (<c>JS.EndUpdateRootComponents</c>, after their first render
    /// batches) and the client has applied a batch (it acknowledges each with <c>OnRenderCompleted</c>).
    /// </summary>
    internal const string CircuitProbe = """
        (() => {
          const Native = window.WebSocket;
          const decoder = new TextDecoder();
          const text = d => typeof d === 'string' ? d : decoder.decode(d instanceof ArrayBuffer ? new Uint8Array(d) : d);
          const has = (d, s) => { try { return text(d).includes(s); } catch { return false; } };
          window.__hotdashRenders = 0;
          window.__hotdashAttached = false;
          window.__hotdashLastFrame = 0;
          const Probe = function (url, protocols) {
            const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
            if (String(url).includes('/_blazor')) {
              socket.addEventListener('message', e => {
                window.__hotdashLastFrame = performance.now();
                if (has(e.data, 'JS.EndUpdateRootComponents')) { window.__hotdashAttached = true; }
              });
              const send = socket.send.bind(socket);
              socket.send = d => {
                if (has(d, 'OnRenderCompleted')) { window.__hotdashRenders++; }
                return send(d);
              };
            }
            return socket;
          };
          Probe.prototype = Native.prototype;
          for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) { Probe[k] = Native[k]; }
          window.WebSocket = Probe;
        })();
        """;

    // Attached, a batch applied, and the socket quiet for a moment: the components' first JS calls (MudBlazor's
    // popovers, resize listeners) and the re-renders they cause are over.
    private const string CircuitStarted =
        "() => window.Blazor !== undefined && window.__hotdashAttached && window.__hotdashRenders >= 1 && performance.now() - window.__hotdashLastFrame > 250";

    private readonly BrowserFixture _fixture;
    private readonly IBrowserContext _context;
    private readonly string _testName;

    internal DashboardPage(BrowserFixture fixture, IBrowserContext context, IPage page, string testName)
    {
        _fixture = fixture;
        _context = context;
        _testName = testName;
        Page = page;
    }

    public IPage Page { get; }

    public IBrowserContext Context => _context;

    /// <summary>Milliseconds the next wait may take (the step timeout, or what is left of the class's budget).</summary>
    public float Timeout => (float)_fixture.Remaining.TotalMilliseconds;

    /// <summary>Where the screenshot of this test goes.</summary>
    public string ScreenshotPath => Path.Combine(AppContext.BaseDirectory, "screenshots", _testName + ".png");

    /// <summary>Opens an interactive page (<paramref name="path"/> relative to the dashboard) and waits for its circuit.</summary>
    public async Task GotoAsync(string path)
    {
        var response = await Page.GotoAsync(path, new PageGotoOptions { Timeout = Timeout });
        Assert.True(response is null || response.Ok, $"GET {path}: {response?.Status}");
        await WaitForCircuitAsync();
    }

    /// <summary>Reloads the page and waits for the new circuit.</summary>
    public async Task ReloadAsync()
    {
        await Page.ReloadAsync(new PageReloadOptions { Timeout = Timeout });
        await WaitForCircuitAsync();
    }

    public async Task WaitForCircuitAsync() =>
        await Page.WaitForFunctionAsync(CircuitStarted, null, new PageWaitForFunctionOptions { Timeout = Timeout, PollingInterval = 50 });

    /// <summary>
    /// Fills and submits the sign-in form (a static page: no circuit) at <c>/login?ReturnUrl=</c><paramref name="returnPath"/>
    /// and waits until the answer's page has replaced the form; returns the answer to the form's POST.
    /// </summary>
    public async Task<IResponse> SubmitLoginAsync(string username, string password, string returnPath = "/")
    {
        if (!Page.Url.Contains("/login", StringComparison.Ordinal))
        {
            await Page.GotoAsync("/login?ReturnUrl=" + Uri.EscapeDataString(returnPath), new PageGotoOptions { Timeout = Timeout });
        }
        await Page.Locator("#login-username").FillAsync(username, new LocatorFillOptions { Timeout = Timeout });
        await Page.Locator("#login-password").FillAsync(password, new LocatorFillOptions { Timeout = Timeout });
        // A wrong login answers with the same URL, so the new document is told from the old one by a mark on the old one.
        await Page.EvaluateAsync("() => { window.__hotdashFormPage = true; }");
        var answer = await Page.RunAndWaitForResponseAsync(
            () => Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync(new LocatorClickOptions { Timeout = Timeout }),
            r => r.Request.Method == "POST" && r.Url.Contains("/login", StringComparison.Ordinal),
            new PageRunAndWaitForResponseOptions { Timeout = Timeout });
        await Page.WaitForFunctionAsync("() => window.__hotdashFormPage === undefined && document.readyState !== 'loading'", null,
            new PageWaitForFunctionOptions { Timeout = Timeout, PollingInterval = 50 });
        return answer;
    }

    /// <summary>Signs in with the deployment's UI login and lands on <paramref name="returnPath"/> (an interactive page: waits for its circuit).</summary>
    public async Task SignInAsync(string returnPath = "/", bool interactive = true)
    {
        await SubmitLoginAsync(EmbeddedDeployment.UiUsername, EmbeddedDeployment.UiPassword, returnPath);
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("^" + Regex.Escape(_fixture.DashboardUrl + returnPath) + "$"),
            new PageAssertionsToHaveURLOptions { Timeout = Timeout });
        if (interactive)
        {
            await WaitForCircuitAsync();
        }
    }

    /// <summary>
    /// Types <paramref name="value"/> into an interactive input and leaves it, so the input's change event carries the
    /// value to the circuit, then checks the value is still there (a re-render would have replaced a stale element).
    /// </summary>
    public async Task FillAsync(ILocator input, string value)
    {
        ArgumentNullException.ThrowIfNull(input);
        await input.FillAsync(value, new LocatorFillOptions { Timeout = Timeout });
        await input.BlurAsync(new LocatorBlurOptions { Timeout = Timeout });
        await Assertions.Expect(input).ToHaveValueAsync(value, new LocatorAssertionsToHaveValueOptions { Timeout = Timeout });
    }

    /// <summary>Waits until <paramref name="locator"/> is visible (bounded).</summary>
    public async Task ExpectVisibleAsync(ILocator locator) =>
        await Assertions.Expect(locator).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = Timeout });

    /// <summary>
    /// Reloads the page until <paramref name="locator"/> shows (data that reaches the analytics store or the ledger a
    /// moment after the request that made it); fails naming <paramref name="what"/> once the step timeout has passed.
    /// </summary>
    public async Task ReloadUntilVisibleAsync(ILocator locator, string what)
    {
        var deadline = DateTime.UtcNow + _fixture.Remaining;
        while (true)
        {
            try
            {
                await Assertions.Expect(locator.First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 2_000 });
                return;
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
                await ReloadAsync();
            }
            catch (PlaywrightException e)
            {
                Assert.Fail($"{what} did not show within {BrowserFixture.StepTimeout.TotalSeconds} s: {e.Message}");
            }
        }
    }

    /// <summary>Reloads the page until <paramref name="condition"/> holds; fails naming <paramref name="what"/> after the step timeout.</summary>
    public async Task ReloadUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + _fixture.Remaining;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} within {BrowserFixture.StepTimeout.TotalSeconds} s");
            await Task.Delay(500);
            await ReloadAsync();
        }
    }

    /// <summary>Saves the full-page screenshot (kept as evidence when the test failed) and closes the context.</summary>
    public async Task CloseAsync(ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true, Timeout = 10_000 });
            output.WriteLine($"screenshot: {ScreenshotPath} ({Page.Url})");
        }
        catch (PlaywrightException e)
        {
            // A crashed page cannot be photographed; the test's own failure is what matters.
            output.WriteLine($"no screenshot: {e.Message}");
        }
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
