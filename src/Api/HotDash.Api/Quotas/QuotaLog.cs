namespace HotDash.Api.Quotas;

internal static partial class QuotaLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Virtual keys cannot be checked, the cluster is unavailable (requests with them get 503 until it is back): {Error}")]
    public static partial void AdmissionUnavailable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Virtual key admission restored")]
    public static partial void AdmissionRestored(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the quota {Operation} of call {CallId}; the reservation expires on its own: {Error}")]
    public static partial void SettlementNotSent(ILogger logger, string operation, string callId, string error);
}
