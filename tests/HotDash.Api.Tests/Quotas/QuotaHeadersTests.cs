using HotDash.Api.Quotas;
using HotDash.Grains;
using Microsoft.AspNetCore.Http;

namespace HotDash.Api.Tests.Quotas;

public sealed class QuotaHeadersTests
{
    [Theory]
    [InlineData(850, "850ms")]
    [InlineData(1, "1ms")]
    [InlineData(0, "0s")]
    [InlineData(1000, "1s")]
    [InlineData(1500, "1.5s")]
    [InlineData(59_999, "59.999s")]
    [InlineData(60_000, "1m0s")]
    [InlineData(360_000, "6m0s")]
    [InlineData(361_250, "6m1.25s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(90_061_000, "25h1m1s")]
    public void Duration_ResetTimes_UseOpenAisFormat(long milliseconds, string expected)
    {
        Assert.Equal(expected, QuotaHeaders.Duration(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void Write_OnlyRequestLimit_SetsOnlyTheRequestHeadersAndTheKeySpend()
    {
        var headers = new HeaderDictionary();
        var decision = AdmissionDecision.Unlimited with
        {
            LimitRequests = 3,
            RemainingRequests = 2,
            ResetRequests = TimeSpan.FromSeconds(59),
            Spend = AdmissionDecision.Unlimited.Spend.Add(QuotaSubjects.Key("abc"), 0.25m).Add(QuotaSubjects.Team("t"), 9m),
        };

        QuotaHeaders.Write(headers, decision, "abc");

        Assert.Equal("3", headers["x-ratelimit-limit-requests"]);
        Assert.Equal("2", headers["x-ratelimit-remaining-requests"]);
        Assert.Equal("59s", headers["x-ratelimit-reset-requests"]);
        Assert.False(headers.ContainsKey("x-ratelimit-limit-tokens"));
        Assert.False(headers.ContainsKey("x-ratelimit-remaining-tokens"));
        Assert.Equal("0.25", headers["x-litellm-key-spend"]);
    }

    [Fact]
    public void WriteRefusal_RetryAfter_IsWholeSecondsRoundedUp()
    {
        var headers = new HeaderDictionary();
        var decision = AdmissionDecision.Unlimited with { Admitted = false, RetryAfter = TimeSpan.FromMilliseconds(1200), RateLimitType = QuotaRateLimitType.Requests };

        QuotaHeaders.WriteRefusal(headers, decision, "abc");

        Assert.Equal("2", headers["Retry-After"]);
        Assert.Equal("requests", headers["rate_limit_type"]);
    }
}
