using Microsoft.Extensions.Options;

namespace HotDash.Grains.Caching;

/// <summary>Refuses unusable <see cref="SemanticIndexOptions"/> at silo start, naming the option.</summary>
internal sealed class SemanticIndexOptionsValidator : IValidateOptions<SemanticIndexOptions>
{
    public ValidateOptionsResult Validate(string? name, SemanticIndexOptions options) =>
        options.Validate() is { } error ? ValidateOptionsResult.Fail("semantic cache index: " + error) : ValidateOptionsResult.Success;
}
