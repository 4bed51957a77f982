using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace HotDash.Hosting.Startup;

/// <summary>How the gateway and the dashboard run until stopped.</summary>
public static class HotDashRun
{
    /// <summary>Runs the app; returns the process exit code (0, or 2 for an option that failed validation at start).</summary>
    public static async Task<int> RunUntilStoppedAsync(this WebApplication app, string role)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (OperationCanceledException)
        {
            // Stopped (Ctrl-C / SIGTERM) while the Orleans client was still waiting for a silo: a clean stop.
            return 0;
        }
        catch (OptionsValidationException e)
        {
            // ValidateOnStart: an environment override out of range (the config file's values are range-checked on load).
            Console.Error.WriteLine($"hotdash {role}: config error: {string.Join("; ", e.Failures)}");
            return HotDashStartup.StartupErrorExitCode;
        }
    }
}
