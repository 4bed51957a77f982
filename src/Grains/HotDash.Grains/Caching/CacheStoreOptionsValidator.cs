using Microsoft.Extensions.Options;

namespace HotDash.Grains.Caching;

/// <summary>Checks <see cref="CacheStoreOptions"/> at start, naming the bad option.</summary>
public sealed class CacheStoreOptionsValidator : IValidateOptions<CacheStoreOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CacheStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Kind == CacheStoreKind.Redis && string.IsNullOrWhiteSpace(options.RedisConfiguration))
        {
            failures.Add("RedisConfiguration is required when Kind is Redis");
        }
        if (string.IsNullOrEmpty(options.KeyPrefix))
        {
            failures.Add("KeyPrefix must not be empty (a flush deletes every key under it)");
        }
        if (options.MaxEntryBytes <= 0)
        {
            failures.Add($"MaxEntryBytes must be positive, not {options.MaxEntryBytes}");
        }
        if (options.MemoryBytes <= 0)
        {
            failures.Add($"MemoryBytes must be positive, not {options.MemoryBytes}");
        }
        if (options.FollowerLeaseTimeout <= TimeSpan.Zero)
        {
            failures.Add($"FollowerLeaseTimeout must be positive, not {options.FollowerLeaseTimeout}");
        }
        if (options.StreamingLeaseTimeout <= TimeSpan.Zero)
        {
            failures.Add($"StreamingLeaseTimeout must be positive, not {options.StreamingLeaseTimeout}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
