namespace HotDash.Dashboard.PublicApi;

/// <summary>What a request's credentials open, as Langfuse's access levels.</summary>
public enum PublicApiAccess
{
    /// <summary>Basic <c>pk-lf-...:sk-lf-...</c>: the whole project.</summary>
    Project,

    /// <summary>Bearer <c>pk-lf-...</c> (the public key alone): creating scores only, as Langfuse allows for browser clients.</summary>
    Scores,
}
