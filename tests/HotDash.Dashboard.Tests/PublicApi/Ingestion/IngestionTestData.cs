using System.Text;
using HotDash.Dashboard.PublicApi.Ingestion;

namespace HotDash.Dashboard.Tests.PublicApi.Ingestion;

/// <summary>Builds ingestion batches for the parser tests.</summary>
internal static class IngestionTestData
{
    public const string Project = "project-1";
    public const long Now = 1_750_000_000_000;
    public const string Ts = "2025-06-01T12:00:00.000Z";
    public const long TsMs = 1_748_779_200_000;

    public static IngestionParseResult Parse(string json) => LangfuseIngestionParser.Parse(Encoding.UTF8.GetBytes(json), Project, Now);

    /// <summary>A batch of one event of <paramref name="type"/> with the given body JSON.</summary>
    public static IngestionParseResult One(string type, string body, string id = "evt-1", string timestamp = Ts) =>
        Parse($$"""{"batch":[{"id":"{{id}}","timestamp":"{{timestamp}}","type":"{{type}}","body":{{body}}}]}""");

    /// <summary>The single error of a one-event batch.</summary>
    public static IngestionEventError SingleError(IngestionParseResult result)
    {
        Assert.False(result.IsBadRequest);
        Assert.Empty(result.Successes);
        return Assert.Single(result.Errors);
    }
}
