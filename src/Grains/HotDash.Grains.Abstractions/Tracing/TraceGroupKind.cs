namespace HotDash.Grains;

/// <summary>What <see cref="TraceGroupQuery"/> groups traces by.</summary>
public enum TraceGroupKind
{
    /// <summary>The trace's session id.</summary>
    Session = 0,

    /// <summary>The trace's user id.</summary>
    User = 1,
}
