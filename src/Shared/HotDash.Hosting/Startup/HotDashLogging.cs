using Microsoft.Extensions.Logging;

namespace HotDash.Hosting.Startup;

/// <summary>The console every HotDash process writes: one line a record, HotDash at Information, frameworks at Warning.</summary>
public static class HotDashLogging
{
    public static ILoggingBuilder AddHotDashConsole(this ILoggingBuilder logging)
    {
        // One line a record, so `./hotdash up` can prefix each with its process name; settings in
        // Logging:Console still override.
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        logging.SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("System", LogLevel.Warning)
            .AddFilter("Polly", LogLevel.Warning)
            .AddFilter("Orleans", LogLevel.Warning)
            // At start the watchdog compares against an uninitialised timestamp and reports the machine's
            // uptime as a stall (seen on every start of 10.4.2); real stalls show up in the silo's readiness.
            .AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        return logging;
    }
}
