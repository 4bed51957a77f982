namespace HotDash.Dashboard.Services.Traces;

/// <summary>The time ranges the trace filters offer.</summary>
public enum TimeRange
{
    /// <summary>The last hour.</summary>
    LastHour,

    /// <summary>The last 24 hours.</summary>
    LastDay,

    /// <summary>The last 7 days.</summary>
    Last7Days,

    /// <summary>The last 30 days.</summary>
    Last30Days,

    /// <summary>From <see cref="TraceFilter.From"/> to <see cref="TraceFilter.To"/>.</summary>
    Custom,

    /// <summary>No time bound.</summary>
    All,
}
