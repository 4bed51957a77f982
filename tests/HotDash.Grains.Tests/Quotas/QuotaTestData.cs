namespace HotDash.Grains.Tests.Quotas;

/// <summary>Builders for quota requests, and a bounded wait for the effects of one-way calls.</summary>
internal static class QuotaTestData
{
    public const string Model = "gpt-4o";

    public static IQuotaGrain NewTeam(this IGrainFactory grains) => grains.GetGrain<IQuotaGrain>(QuotaSubjects.Team(TestData.UniqueId("team")));

    public static QuotaRequest Request(QuotaLimits limits, long tokens = 0, decimal cost = 0m, string model = Model, string? id = null) =>
        new(id ?? TestData.UniqueId("call"), model, tokens, cost, limits);

    public static ImmutableDictionary<string, long> PerModel(string model, long limit) =>
        ImmutableDictionary<string, long>.Empty.Add(model, limit);

    /// <summary>Settle, Release and Cancel are one-way: look a few times (real time, bounded) for their effect.</summary>
    public static async Task<QuotaStatus> StatusWhen(this IQuotaGrain grain, Func<QuotaStatus, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var status = await grain.GetStatus();
            if (done(status) || DateTime.UtcNow > deadline)
            {
                return status;
            }
            await Task.Delay(10);
        }
    }

    /// <summary>Lets one-way calls that should change nothing land before the state is looked at.</summary>
    public static Task Settling() => Task.Delay(200);
}
