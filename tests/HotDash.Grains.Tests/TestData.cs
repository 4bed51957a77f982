namespace HotDash.Grains.Tests;

/// <summary>Builders for wire records, with ids unique per test (the tests share one silo).</summary>
internal static class TestData
{
    public static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static GatewayHeartbeat Heartbeat(string instanceId, DateTimeOffset sentAt) => new(
        instanceId,
        $"http://127.0.0.1:4000/{instanceId}",
        sentAt,
        sentAt,
        ["gpt-4o-mini"],
        new GatewayCounters(Requests: 1, Errors: 0, Streams: 0, PromptTokens: 10, CompletionTokens: 5, MeanLatencyMs: 1.5),
        "healthy");

    public static DeploymentFailure Failure(int allowedFails, TimeSpan cooldown, int status = 500) =>
        new(status, "upstream failed", allowedFails, cooldown);
}
