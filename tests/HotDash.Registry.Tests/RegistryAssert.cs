using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace HotDash.Registry.Tests;

/// <summary>Comparisons the definitions' records cannot make themselves (their dictionaries and arrays compare by reference).</summary>
internal static class RegistryAssert
{

    /// <summary>The same JSON value, whatever the spacing (jsonb keeps its own).</summary>
    public static void SameJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}, got {actual}");

    public static void SameMap<T>(ImmutableDictionary<string, T> expected, ImmutableDictionary<string, T> actual) =>
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));

    public static void SameLimits(QuotaLimits expected, QuotaLimits actual)
    {
        Assert.Equal(expected.RpmLimit, actual.RpmLimit);
        Assert.Equal(expected.TpmLimit, actual.TpmLimit);
        Assert.Equal(expected.MaxParallelRequests, actual.MaxParallelRequests);
        Assert.Equal(expected.MaxBudget, actual.MaxBudget);
        Assert.Equal(expected.BudgetDuration, actual.BudgetDuration);
        SameMap(expected.ModelRpmLimit, actual.ModelRpmLimit);
        SameMap(expected.ModelTpmLimit, actual.ModelTpmLimit);
        SameMap(expected.ModelMaxBudget, actual.ModelMaxBudget);
    }

    /// <summary>Every field the caller defines (not the stamps the store sets).</summary>
    public static void SameKey(KeyDefinition expected, KeyDefinition? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Token, actual.Token);
        Assert.Equal(expected.KeyName, actual.KeyName);
        Assert.Equal(expected.KeyAlias, actual.KeyAlias);
        Assert.Equal(expected.TeamId, actual.TeamId);
        Assert.Equal(expected.UserId, actual.UserId);
        // ImmutableArray's own equality is by reference: compare the items.
        Assert.Equal(expected.Models.ToArray(), actual.Models.ToArray());
        SameMap(expected.Aliases, actual.Aliases);
        SameLimits(expected.Limits, actual.Limits);
        Assert.Equal(expected.BudgetDuration, actual.BudgetDuration);
        SameJson(expected.Metadata, actual.Metadata);
        Assert.Equal(expected.Blocked, actual.Blocked);
        Assert.Equal(expected.Expires, actual.Expires);
        Assert.Equal(expected.BudgetResetAt, actual.BudgetResetAt);
    }
}
