namespace HotDash.Dashboard.Services.Traces;

/// <summary>Why a list shows no rows, so its empty state can say what to do.</summary>
public enum ListEmptiness
{
    /// <summary>It has rows, or has not been read yet.</summary>
    NotEmpty,

    /// <summary>Nothing exists at all yet: say how to make some.</summary>
    NothingYet,

    /// <summary>Rows exist, but the filters exclude all of them: say so.</summary>
    NoMatch,
}
