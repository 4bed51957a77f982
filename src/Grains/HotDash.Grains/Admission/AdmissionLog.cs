using Microsoft.Extensions.Logging;

namespace HotDash.Grains.Admission;

internal static partial class AdmissionLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "admission {ReservationId}: a quota grain failed to answer; reservations made were cancelled")]
    public static partial void ReserveFailed(ILogger logger, Exception exception, string reservationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "key {KeyName} refused ({Status}) for model {Model}")]
    public static partial void KeyRefused(ILogger logger, string status, string keyName, string model);
}
