namespace HotDash.Api.Gateway;

/// <summary>The outcome of authenticating a request's key locally.</summary>
/// <param name="Kind">What kind of caller it is.</param>
/// <param name="KeyHash">For <see cref="CallerKind.VirtualKey"/>, SHA-256 of the key, lower-case hex; else empty.</param>
/// <param name="OpenGateway">
/// True when no master key is configured: a virtual key the cluster does not know is let through unlimited
/// (the gateway is open), while known keys keep their limits.
/// </param>
internal readonly record struct Caller(CallerKind Kind, string KeyHash, bool OpenGateway)
{
    public static Caller Missing => new(CallerKind.Missing, "", false);

    /// <summary>
    /// For <see cref="CallerKind.Missing"/>, why the key presented was refused (null when there was none): the
    /// 401's message.
    /// </summary>
    public string? Rejection { get; init; }

    public static Caller Master => new(CallerKind.Master, "", false);

    public static Caller Open => new(CallerKind.Open, "", true);
}
