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
        Assert.Equal("traces?range=all&userId=a%20b&sessionId=s%2F1", TraceFilter.Link(userId: "a b", sessionId: "s/1"));

    [Fact]
    public void ToQuery_NewFields_MapToTraceQuery()
    {
        var filter = new TraceFilter
        {
            TeamId = " team-1 ",
            KeyAlias = "ci",
            Model = "gpt-4o",
            Levels = TraceLevels.Debug | TraceLevels.Error | TraceLevels.Warning,
            MinCost = 0.01m,
            MaxCost = 2.5m,
            MinLatencySeconds = 0.25,
            MaxLatencySeconds = 30,
            Search = " refund ",
        };

        var q = filter.ToQuery("p", 1, 50, Now);

        Assert.Equal("team-1", q.TeamId);
        Assert.Equal("ci", q.KeyAlias);
        Assert.Equal("gpt-4o", q.Model);
        // Worst first, whatever order they were chosen in.
        Assert.Equal(["ERROR", "WARNING", "DEBUG"], q.Levels.ToArray());
        Assert.Equal(0.01m, q.MinCost);
        Assert.Equal(2.5m, q.MaxCost);
        Assert.Equal(0.25, q.MinLatencySeconds);
        Assert.Equal(30, q.MaxLatencySeconds);
        Assert.Equal("refund", q.Search);
    }

    [Fact]
    public void ToQuery_NoNewFields_LeftOut()
    {
        var q = new TraceFilter { TeamId = " ", Search = "" }.ToQuery("p", 1, 50, Now);

        Assert.Null(q.TeamId);
        Assert.Null(q.KeyAlias);
        Assert.Null(q.Model);
        Assert.Empty(q.Levels);
        Assert.Null(q.MinCost);
        Assert.Null(q.MaxCost);
        Assert.Null(q.MinLatencySeconds);
        Assert.Null(q.MaxLatencySeconds);
        Assert.Null(q.Search);
    }

    public static TheoryData<TraceFilter> Filters() =>
    [
        new TraceFilter(),
        TraceFilter.Everything,
        new TraceFilter
        {
            Range = TimeRange.Last7Days,
            Name = "chat & more",
            UserId = "a b",
            SessionId = "s/1",
            Tags = "a,b",
            Environments = "prod",
            Release = "r1",
            Version = "v=2",
            TeamId = "team-1",
            KeyAlias = "ci key",
            Model = "openai/gpt-4o",
            Levels = TraceLevels.Error | TraceLevels.Default,
            MinCost = 0.000123m,
            MaxCost = 12.5m,
            MinLatencySeconds = 0.1,
            MaxLatencySeconds = 1e-5 + 2,
            Search = "100% \"quoted\" ?&=",
            OldestFirst = true,
        },
        new TraceFilter
        {
            Range = TimeRange.Custom,
            From = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
            To = new DateTimeOffset(2026, 11, 2, 13, 45, 10, 250, TimeSpan.Zero),
        },
    ];

    [Theory]
    [MemberData(nameof(Filters))]
    public void Parse_ItsOwnQueryString_SameFilter(TraceFilter filter)
    {
        var form = TraceFilterForm.Parse(filter.ToQueryString());

        Assert.True(form.TryBuild(out var parsed), string.Join("; ", form.Errors.Values));
        Assert.Equal(filter, parsed);
        Assert.Empty(form.Ignored);
    }

    [Fact]
    public void Parse_Link_FiltersThatUserAndSessionOverAllTime()
    {
        var form = TraceFilterForm.Parse(TraceFilter.Link(userId: "a b", sessionId: "s/1")["traces".Length..]);

        Assert.True(form.TryBuild(out var parsed));
        Assert.Equal(TraceFilter.Everything with { UserId = "a b", SessionId = "s/1" }, parsed);
    }

    [Fact]
    public void Parse_OlderLinksUserAndSession_Understood()
    {
        Assert.True(TraceFilterForm.Parse("range=all&user=u1&session=s1").TryBuild(out var parsed));

        Assert.Equal("u1", parsed.UserId);
        Assert.Equal("s1", parsed.SessionId);
    }

    [Fact]
    public void Parse_UnknownLevelAndRange_IgnoredAndSaid()
    {
        var form = TraceFilterForm.Parse("?range=forever&level=error,FATAL&level=warning");

        Assert.True(form.TryBuild(out var parsed));
        Assert.Equal(TraceLevels.Error | TraceLevels.Warning, parsed.Levels);
        Assert.Equal(TimeRange.LastDay, parsed.Range);
        Assert.Equal(2, form.Ignored.Count);
        Assert.Contains(form.Ignored, m => m.Contains("FATAL", StringComparison.Ordinal));
        Assert.Contains(form.Ignored, m => m.Contains("forever", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(TraceFilterKeys.MinCost, "ten", "Not a number: enter dollars, e.g. 0.05")]
    [InlineData(TraceFilterKeys.MaxCost, "1,5", "Not a number: enter dollars, e.g. 0.05")]
    [InlineData(TraceFilterKeys.MinLatency, "fast", "Not a number: enter seconds, e.g. 1.5")]
    [InlineData(TraceFilterKeys.MaxLatency, "NaN", "Not a number: enter seconds, e.g. 1.5")]
    [InlineData(TraceFilterKeys.MinCost, "-0.01", "Must be 0 or more")]
    [InlineData(TraceFilterKeys.MaxLatency, "-3", "Must be 0 or more")]
    public void TryBuild_BadNumber_FieldErrorAndNoFilter(string key, string text, string message)
    {
        var form = TraceFilterForm.Parse(key + "=" + Uri.EscapeDataString(text) + "&model=m");

        Assert.False(form.TryBuild(out var filter));
        Assert.Equal(message, form.ErrorOf(key));
        Assert.Single(form.Errors);
        Assert.Equal(TraceFilter.Everything, filter);
    }

    [Fact]
    public void TryBuild_MinAboveMax_BothFieldsFlagged()
    {
        var form = new TraceFilterForm { MinCost = "2", MaxCost = "1", MinLatency = "1", MaxLatency = "1" };

        Assert.False(form.TryBuild(out _));
        Assert.Equal("Must not be above the maximum", form.ErrorOf(TraceFilterKeys.MinCost));
        Assert.Equal("Must not be below the minimum", form.ErrorOf(TraceFilterKeys.MaxCost));
        // Equal bounds are a valid (exact) range.
        Assert.Null(form.ErrorOf(TraceFilterKeys.MinLatency));
    }

    [Fact]
    public void TryBuild_CustomRangeEndingBeforeItStarts_ToFlagged()
    {
        var form = new TraceFilterForm { Range = TimeRange.Custom, From = new DateTime(2026, 11, 2), To = new DateTime(2026, 11, 1) };

        Assert.False(form.TryBuild(out _));
        Assert.Equal("Must be after From", form.ErrorOf(TraceFilterKeys.To));
    }

    [Fact]
    public void TryBuild_DollarSignAndSpaces_Accepted()
    {
        Assert.True(new TraceFilterForm { MinCost = " $0.50 ", MaxLatency = "1e1" }.TryBuild(out var filter));

        Assert.Equal(0.5m, filter.MinCost);
        Assert.Equal(10, filter.MaxLatencySeconds);
    }

    [Fact]
    public void TryBuild_FormOfAFilter_SameFilter()
    {
        var filter = new TraceFilter { Range = TimeRange.LastHour, Model = "m", Levels = TraceLevels.Warning, MaxCost = 0.3m, MinLatencySeconds = 2.5 };

        Assert.True(TraceFilterForm.Of(filter).TryBuild(out var built));
        Assert.Equal(filter, built);
    }

    [Fact]
    public void IsUnfiltered_OnlyAllTimeWithoutFilters()
    {
        Assert.True(TraceFilter.Everything.IsUnfiltered);
        Assert.True((TraceFilter.Everything with { OldestFirst = true }).IsUnfiltered);
        Assert.False(new TraceFilter().IsUnfiltered);
        Assert.False((TraceFilter.Everything with { Levels = TraceLevels.Error }).IsUnfiltered);
        Assert.False((TraceFilter.Everything with { MinCost = 0 }).IsUnfiltered);
    }

    [Theory]
    [InlineData("ERROR", MudBlazor.Color.Error)]
    [InlineData("warning", MudBlazor.Color.Warning)]
    [InlineData("DEFAULT", MudBlazor.Color.Default)]
    [InlineData("DEBUG", MudBlazor.Color.Default)]
    public void ChipColor_Level_OnlyErrorsAndWarningsStandOut(string level, MudBlazor.Color expected) =>
        Assert.Equal(expected, TraceLevelNames.ChipColor(level));

    [Theory]
    [InlineData("last7days", TimeRange.Last7Days)]
    [InlineData("ALL", TimeRange.All)]
    [InlineData("lastHour", TimeRange.LastHour)]
    [InlineData("last30days", TimeRange.Last30Days)]
    [InlineData("hour", TimeRange.LastHour)]
    [InlineData("day", TimeRange.LastDay)]
    [InlineData("24h", TimeRange.LastDay)]
    [InlineData("7d", TimeRange.Last7Days)]
    [InlineData("7 days", TimeRange.Last7Days)]
    [InlineData("30d", TimeRange.Last30Days)]
    [InlineData(" Custom ", TimeRange.Custom)]
    public void ParseRange_KnownName_Parsed(string text, TimeRange expected) => Assert.Equal(expected, TraceFilter.ParseRange(text));

    [Theory]
    [InlineData(null)]
    [InlineData("forever")]
    [InlineData("42")]
    public void ParseRange_Unknown_Null(string? text) => Assert.Null(TraceFilter.ParseRange(text));

    [Fact]
    public void Parse_BadRange_HintListsOnlyNamesThatParse()
    {
        var form = TraceFilterForm.Parse("range=fortnight");

        var hint = Assert.Single(form.Ignored);
        var names = hint[(hint.IndexOf("(use ", StringComparison.Ordinal) + 5)..hint.LastIndexOf(')')]
            .Replace(" or ", ", ", StringComparison.Ordinal).Split(", ");
        Assert.Equal(["hour", "day", "7d", "30d", "all", "custom"], names);
        Assert.All(names, n => Assert.NotNull(TraceFilter.ParseRange(n)));
    }

    [Theory]
    [InlineData("hour", TimeRange.LastHour)]
    [InlineData("7d", TimeRange.Last7Days)]
    [InlineData("30d", TimeRange.Last30Days)]
    public void Parse_FriendlyRangeInUrl_UsedWithoutWarning(string text, TimeRange expected)
    {
        var form = TraceFilterForm.Parse("range=" + text);

        Assert.Equal(expected, form.Range);
        Assert.Empty(form.Ignored);
    }

    [Fact]
    public void DateAndTimeParts_SetSeparately_MakeOneUtcInstant()
    {
        var form = new TraceFilterForm { Range = TimeRange.Custom };

        // Time first (a picker's order is the user's), then the date: neither is lost.
        form.FromTime = new TimeSpan(8, 30, 0);
        form.FromDate = new DateTime(2026, 11, 2);
        form.ToDate = new DateTime(2026, 11, 2);
        form.ToTime = new TimeSpan(17, 45, 0);
        form.FromDate = new DateTime(2026, 11, 1);

        Assert.True(form.TryBuild(out var filter));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 8, 30, 0, TimeSpan.Zero), filter.From);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 17, 45, 0, TimeSpan.Zero), filter.To);
        Assert.Equal(new TimeSpan(8, 30, 0), form.FromTime);
        Assert.Equal(new DateTime(2026, 11, 2), form.ToDate);
        Assert.Contains("from=2026-11-01T08%3A30%3A00Z", filter.ToQueryString());
    }

    [Fact]
    public void Parse_CustomInstantsInUrl_DateAndTimePartsShown()
    {
        var form = TraceFilterForm.Parse("range=custom&from=2026-11-01T08:30:00Z&to=2026-11-02");

        Assert.Equal(new DateTime(2026, 11, 1), form.FromDate);
        Assert.Equal(new TimeSpan(8, 30, 0), form.FromTime);
        Assert.Equal(TimeSpan.Zero, form.ToTime);
    }

    [Fact]
    public void TryBuild_SameDayEndTimeBeforeStartTime_ToFlagged()
    {
        var form = new TraceFilterForm { Range = TimeRange.Custom, FromDate = new DateTime(2026, 11, 1), ToDate = new DateTime(2026, 11, 1) };
        form.FromTime = new TimeSpan(10, 0, 0);
        form.ToTime = new TimeSpan(9, 0, 0);

        Assert.False(form.TryBuild(out _));
        Assert.Equal("Must be after From", form.ErrorOf(TraceFilterKeys.To));
    }

    [Theory]
    [InlineData(null, "gw-project")]
    [InlineData("  ", "gw-project")]
    [InlineData("proj-a", "proj-a")]
    public void ProjectOrDefault_NoProjectAsked_TheTracingProject(string? asked, string expected)
    {
        var config = HotDash.Hosting.Configuration.HotDashConfigLoader.FromYaml("hotdash:\n  tracing:\n    project_id: gw-project\n", null, _ => null);

        Assert.Equal(expected, TracePageLinks.ProjectOrDefault(asked, config));
    }

    [Theory]
    [InlineData("traces?range=all", null, "traces?range=all")]
    [InlineData("traces?range=all", "p 1", "traces?range=all&project=p%201")]
    [InlineData("traces", "p", "traces?project=p")]
    public void WithProject_OnlyAnExplicitProject_Appended(string href, string? project, string expected) =>
        Assert.Equal(expected, TracePageLinks.WithProject(href, project));

    [Theory]
    [InlineData("", "http://localhost:4000/v1/chat/completions")]
    [InlineData("hotdash:\n  api_port: 4100\n", "http://localhost:4100/v1/chat/completions")]
    [InlineData("hotdash:\n  gateway_url: https://llm.example.com/\n", "https://llm.example.com/v1/chat/completions")]
    public void ChatCompletionsUrl_Config_NamesTheGateway(string yaml, string expected) =>
        Assert.Equal(expected, TracePageLinks.ChatCompletionsUrl(HotDash.Hosting.Configuration.HotDashConfigLoader.FromYaml(yaml, null, _ => null)));

    [Theory]
    [InlineData("NUMERIC", 3.0, null, "3")]
    [InlineData("NUMERIC", 1250.0, null, "1,250")]
    [InlineData("NUMERIC", 12.3456, null, "12.35")]
    [InlineData("NUMERIC", 0.85670000000000002, null, "0.8567")]
    [InlineData("NUMERIC", -0.5, null, "-0.5")]
    [InlineData(null, 0.123456, null, "0.1235")]
    [InlineData("CATEGORICAL", 0.0, "good", "good")]
    [InlineData("BOOLEAN", 1.0, null, "True")]
    [InlineData("BOOLEAN", 0.0, "False", "False")]
    [InlineData("NUMERIC", null, null, "–")]
    public void ScoreValue_ByDataType_ForPeople(string? type, double? value, string? text, string expected) =>
        Assert.Equal(expected, ScoreText.Value(new HotDash.Grains.ScoreRecord("s") { DataType = type, Value = value, StringValue = text }));
}
