namespace HotDash.Dashboard.Services.Traces;

/// <summary>The trace levels a filter can ask for (any of them); flags, so a filter compares by value.</summary>
[Flags]
public enum TraceLevels
{
    /// <summary>No level filter.</summary>
    None = 0,

    /// <summary><c>DEBUG</c>.</summary>
    Debug = 1,

    /// <summary><c>DEFAULT</c>.</summary>
    Default = 2,

    /// <summary><c>WARNING</c>.</summary>
    Warning = 4,

    /// <summary><c>ERROR</c>.</summary>
    Error = 8,
}
