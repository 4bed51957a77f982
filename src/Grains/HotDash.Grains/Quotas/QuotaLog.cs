using Microsoft.Extensions.Logging;

namespace HotDash.Grains.Quotas;

internal static partial class QuotaLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "quota {Subject} refused a request ({RateLimitType}): {Reason}")]
    public static partial void Refused(ILogger logger, string subject, string rateLimitType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "quota {Subject}: {Count} reservation(s) unsettled for {Minutes} min expired and were released (a gateway gone?)")]
    public static partial void ReservationsExpired(ILogger logger, string subject, int count, double minutes);

    [LoggerMessage(Level = LogLevel.Information, Message = "quota {Subject}: reservation {ReservationId} settled after it expired; its usage counted")]
    public static partial void LateSettlement(ILogger logger, string subject, string reservationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "quota {Subject}: {Operation} for unknown or finished reservation {ReservationId} ignored")]
    public static partial void UnknownReservation(ILogger logger, string subject, string operation, string? reservationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "quota {Subject}: state write failed; retried at the next change or within a minute")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "quota {Subject}: budget reset")]
    public static partial void BudgetReset(ILogger logger, string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "quota {Subject}: state moved to {Target} ({Reservations} reservation(s) in flight)")]
    public static partial void Moved(ILogger logger, string subject, string target, int reservations);

    [LoggerMessage(Level = LogLevel.Information, Message = "quota {Subject}: took over a moved quota's state ({Reservations} reservation(s) in flight)")]
    public static partial void Absorbed(ILogger logger, string subject, int reservations);

    [LoggerMessage(Level = LogLevel.Debug, Message = "quota {Subject}: reservation {ReservationId} moved to {Target}; passed on")]
    public static partial void Forwarded(ILogger logger, string subject, string reservationId, string target);

    [LoggerMessage(Level = LogLevel.Error, Message = "registry: the quota of regenerated key {OldSubject} could not move to {NewSubject}; the new key's limits count from what it has used itself")]
    public static partial void MoveFailed(ILogger logger, Exception exception, string oldSubject, string newSubject);
}
