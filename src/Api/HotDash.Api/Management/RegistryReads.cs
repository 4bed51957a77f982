using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Api.Management;

/// <summary>Reads several management answers need.</summary>
internal static class RegistryReads
{
    private const int PageSize = 100;

    // /team/info and /user/info list every key; past this many pages the answer stops (10,000 keys).
    private const int MaxPages = 100;

    /// <summary>Every key of a team or user, newest first.</summary>
    public static async Task<ImmutableArray<KeyDefinition>> AllKeysAsync(IRegistryGrain registry, string? teamId, string? userId)
    {
        var all = ImmutableArray.CreateBuilder<KeyDefinition>();
        for (var page = 1; page <= MaxPages; page++)
        {
            var p = await registry.ListKeys(new KeyListQuery(teamId, userId, null, page, PageSize));
            all.AddRange(p.Keys);
            if (p.Keys.Length < PageSize || all.Count >= p.TotalCount)
            {
                break;
            }
        }
        return all.ToImmutable();
    }
}
