using HotDash.Grains;

namespace HotDash.Api.Tests.Tracing;

/// <summary><c>litellm_settings.turn_off_message_logging</c>: traces keep everything but the messages.</summary>
public sealed class RedactedTracingTests(RedactingTracingGatewayFixture fixture) : IClassFixture<RedactingTracingGatewayFixture>
{
    [Fact]
    public async Task TurnOffMessageLogging_RedactsInputAndOutputOfTraceAndGeneration()
    {
        using var client = fixture.CreateAnonymousClient();
        using var response = await client.PostAsync("/v1/chat/completions",
            JsonBody.Of("""{"model":"trace-chat","messages":[{"role":"user","content":"confidential"}],"temperature":0.5,"metadata":{"trace_name":"kept-name"}}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var callId = Assert.Single(response.Headers.GetValues(GatewayHeaders.CallId));

        var (traceEvent, generationEvent) = await fixture.Sink.ForCallAsync(callId);
        var g = generationEvent.Observation!;
        Assert.Equal("\"redacted-by-litellm\"", g.Input);
        Assert.Equal("\"redacted-by-litellm\"", g.Output);
        Assert.Equal("\"redacted-by-litellm\"", traceEvent.Trace!.Input);
        Assert.Equal("\"redacted-by-litellm\"", traceEvent.Trace.Output);
        Assert.Equal("kept-name", traceEvent.Trace.Name);
        Assert.Contains("0.5", g.ModelParameters);
        Assert.Equal(FakeUpstream.PromptTokens, g.UsageDetails![UsageKeys.Input]);
        Assert.DoesNotContain("confidential", JsonSerializer.Serialize(new[] { traceEvent, generationEvent }));
    }
}
