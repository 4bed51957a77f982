namespace HotDash.Api.Tests.Integration;

/// <summary>Failures reach the silo's deployment-health grain, whose cooldown the gateway's router then honours.</summary>
public sealed class CooldownTests(CooldownGatewayFixture fixture) : IClassFixture<CooldownGatewayFixture>
{
    private static StringContent Chat() =>
        new("""{"model":"cool-group","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json");

    [Fact]
    public async Task ChatCompletions_DeploymentReachesAllowedFails_IsSkippedByLaterRequests()
    {
        using (var first = await fixture.Client.PostAsync("/v1/chat/completions", Chat()))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("1", Assert.Single(first.Headers.GetValues("x-litellm-attempted-retries")));
        }
        Assert.Equal(1, fixture.Fake.CountFor("error-500-cool"));

        // The failure report to the grain is off the request path: give it a moment to come back.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        bool skipped;
        do
        {
            var failedBefore = fixture.Fake.CountFor("error-500-cool");
            using var response = await fixture.Client.PostAsync("/v1/chat/completions", Chat());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("cool-good", Assert.Single(response.Headers.GetValues("x-litellm-model-id")));
            skipped = !response.Headers.Contains("x-litellm-attempted-retries") && fixture.Fake.CountFor("error-500-cool") == failedBefore;
            if (!skipped)
            {
                await Task.Delay(100);
            }
        }
        while (!skipped && DateTime.UtcNow < deadline);

        Assert.True(skipped, "the failing deployment was still tried after its cooldown began");
        var failures = fixture.Fake.CountFor("error-500-cool");
        for (var i = 0; i < 5; i++)
        {
            using var response = await fixture.Client.PostAsync("/v1/chat/completions", Chat());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(failures, fixture.Fake.CountFor("error-500-cool"));
    }
}
