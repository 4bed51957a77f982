using HotDash.Dashboard.Services.Traces;

namespace HotDash.Dashboard.Tests.Components;

public sealed class TraceFilterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ToQuery_EveryField_MapsToTraceQuery()
    {
        var filter = new TraceFilter
        {
            Range = TimeRange.LastHour,
            Name = " chat ",
            UserId = "u1",
            SessionId = "s1",
            Tags = "a, b,,a",
            Environments = "prod,staging",
            Release = "r1",
            Version = "v2",
            OldestFirst = true,
        };

        var q = filter.ToQuery("p1", 3, 50, Now);

        Assert.Equal("p1", q.ProjectId);
        Assert.Equal(3, q.Page);
        Assert.Equal(50, q.Limit);
        Assert.Equal("chat", q.Name);
        Assert.Equal("u1", q.UserId);
        Assert.Equal("s1", q.SessionId);
        Assert.Equal(["a", "b"], q.Tags.ToArray());
        Assert.Equal(["prod", "staging"], q.Environments.ToArray());
        Assert.Equal("r1", q.Release);
        Assert.Equal("v2", q.Version);
        Assert.Equal(Now.AddHours(-1).ToUnixTimeMilliseconds(), q.FromTimestampMs);
        Assert.Null(q.ToTimestampMs);
        Assert.Equal("timestamp", q.OrderBy);
        Assert.True(q.Ascending);
    }

    [Fact]
    public void ToQuery_BlankFields_LeftOut()
    {
        var q = new TraceFilter { Range = TimeRange.All, Name = "  ", UserId = "", Tags = " , " }.ToQuery("p", 1, 50, Now);

        Assert.Null(q.Name);
        Assert.Null(q.UserId);
        Assert.Empty(q.Tags);
        Assert.Null(q.FromTimestampMs);
        Assert.Null(q.ToTimestampMs);
        Assert.False(q.Ascending);
    }

    [Theory]
    [InlineData(TimeRange.LastDay, 1)]
    [InlineData(TimeRange.Last7Days, 7)]
    [InlineData(TimeRange.Last30Days, 30)]
    public void ToQuery_RelativeRange_StartsThatManyDaysBack(TimeRange range, int days) =>
        Assert.Equal(Now.AddDays(-days).ToUnixTimeMilliseconds(), new TraceFilter { Range = range }.ToQuery("p", 1, 50, Now).FromTimestampMs);

    [Fact]
    public void ToQuery_CustomRange_BothBounds()
    {
        var from = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

        var q = new TraceFilter { Range = TimeRange.Custom, From = from, To = to }.ToQuery("p", 1, 50, Now);

        Assert.Equal(from.ToUnixTimeMilliseconds(), q.FromTimestampMs);
        Assert.Equal(to.ToUnixTimeMilliseconds(), q.ToTimestampMs);
    }

    [Fact]
    public void ToQuery_OutOfRangePaging_Clamped()
    {
        var q = new TraceFilter().ToQuery("p", 0, 1000, Now);

        Assert.Equal(1, q.Page);
        Assert.Equal(100, q.Limit);
    }

    [Fact]
    public void Link_UserAndSession_EscapedQueryString() =>
        Assert.Equal("traces?range=all&user=a%20b&session=s%2F1", TraceFilter.Link(userId: "a b", sessionId: "s/1"));

    [Theory]
    [InlineData("last7days", TimeRange.Last7Days)]
    [InlineData("ALL", TimeRange.All)]
    public void ParseRange_KnownName_Parsed(string text, TimeRange expected) => Assert.Equal(expected, TraceFilter.ParseRange(text));

    [Theory]
    [InlineData(null)]
    [InlineData("forever")]
    [InlineData("42")]
    public void ParseRange_Unknown_Null(string? text) => Assert.Null(TraceFilter.ParseRange(text));
}
