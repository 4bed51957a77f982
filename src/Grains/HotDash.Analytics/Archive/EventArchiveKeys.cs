using System.Globalization;

namespace HotDash.Analytics.Archive;

/// <summary>The object keys every <see cref="IEventArchive"/> uses: <c>{prefix}{projectId}/{yyyy-MM-dd}/{HH}/{batchId}.ndjson.gz</c> (UTC).</summary>
public static class EventArchiveKeys
{
    /// <summary>The file name suffix of every archived object.</summary>
    public const string Suffix = ".ndjson.gz";

    /// <summary>The key of one project's part of one batch.</summary>
    public static string For(string prefix, string projectId, DateTimeOffset at, string batchId)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentException.ThrowIfNullOrEmpty(projectId);
        ArgumentException.ThrowIfNullOrEmpty(batchId);
        var utc = at.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{projectId}/{utc:yyyy-MM-dd}/{utc:HH}/{batchId}{Suffix}");
    }
}
