using Microsoft.Playwright;

namespace HotDash.Dashboard.Tests.Browser;

/// <summary>
/// What the browser tests of one class share: a whole HotDash on its embedded stores (<see cref="EmbeddedDeployment"/>)
/// and one headless Debian chromium, started together once. Every test opens its own browser context (its own cookies)
/// through <see cref="OpenAsync"/>. The class has a time budget: every wait is at most <see cref="StepTimeout"/> and never
/// past the class's deadline, so a hung page fails the class in bounded time instead of hanging the run.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>The longest any one wait (a navigation, a locator, a poll) may take.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    // Three .NET hosts starting at once on two cores take 10-20 s; the margin is for a busy CI machine.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    // Seven tests, each a few navigations and at most one bounded poll, plus the start.
    private static readonly TimeSpan ClassBudget = TimeSpan.FromMinutes(8);

    private DateTime _deadline;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private EmbeddedDeployment? _deployment;

    /// <summary>Why the tests cannot run here (chromium not installed), or null.</summary>
    public string? Missing { get; private set; }

    public EmbeddedDeployment Deployment => _deployment ?? throw new InvalidOperationException("not started");

    /// <summary><c>http://127.0.0.1:{port}</c> of the dashboard, without the trailing slash.</summary>
    public string DashboardUrl => Deployment.Dashboard.BaseAddress.ToString().TrimEnd('/');

    /// <summary>The time one wait may take now: <see cref="StepTimeout"/>, less if the class's deadline is nearer; fails past it.</summary>
    public TimeSpan Remaining
    {
        get
        {
            var left = _deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, $"the browser tests ran past their budget of {ClassBudget.TotalMinutes} minutes");
            return left < StepTimeout ? left : StepTimeout;
        }
    }

    public async Task InitializeAsync()
    {
        if (!Chromium.IsInstalled)
        {
            Missing = $"{Chromium.ExecutablePath} is not installed (apt-get install chromium; ./hotdash test installs it)";
            return;
        }
        _deadline = DateTime.UtcNow + ClassBudget;
        // The hosts and the browser start concurrently: neither needs the other until the first page is opened.
        var deployment = EmbeddedDeployment.StartAsync(StartTimeout);
        var browser = LaunchAsync();
        try
        {
            await Task.WhenAll(deployment, browser);
            _deployment = deployment.Result;
        }
        catch
        {
            // A fixture whose start failed is not disposed by the runner: stop what did start.
            if (deployment.IsCompletedSuccessfully)
            {
                deployment.Result.Dispose();
            }
            await CloseBrowserAsync();
            throw;
        }
    }

    private async Task LaunchAsync()
    {
        _playwright = await Playwright.CreateAsync();
        // launch() (not launchPersistentContext) runs chromium on a new, empty temporary user data dir of its own and
        // deletes it on close, so no profile state outlives the class.
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = Chromium.Args,
            Timeout = (float)StartTimeout.TotalMilliseconds,
        });
    }

    /// <summary>A new browser context (no cookies) and page at 1280x800 (or <paramref name="width"/> wide) that knows when the Blazor circuit is up.</summary>
    public async Task<DashboardPage> OpenAsync(string testName, int width = 1280)
    {
        var browser = _browser ?? throw new InvalidOperationException("not started");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 800 },
            BaseURL = DashboardUrl,
        });
        try
        {
            context.SetDefaultTimeout((float)StepTimeout.TotalMilliseconds);
            context.SetDefaultNavigationTimeout((float)StepTimeout.TotalMilliseconds);
            await context.AddInitScriptAsync(DashboardPage.CircuitProbe);
            var page = await context.NewPageAsync();
            return new DashboardPage(this, context, page, testName);
        }
        catch
        {
            await context.CloseAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await CloseBrowserAsync();
        _deployment?.Dispose();
        _deployment = null;
    }

    private async Task CloseBrowserAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser = null;
        }
        _playwright?.Dispose();
        _playwright = null;
    }
}
