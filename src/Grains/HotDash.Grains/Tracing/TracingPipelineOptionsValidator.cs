using Microsoft.Extensions.Options;

namespace HotDash.Grains.Tracing;

/// <summary>Refuses unusable <see cref="TracingPipelineOptions"/> at silo start, naming the option.</summary>
internal sealed class TracingPipelineOptionsValidator : IValidateOptions<TracingPipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, TracingPipelineOptions options) =>
        options.Validate() is { } error ? ValidateOptionsResult.Fail("tracing: " + error) : ValidateOptionsResult.Success;
}
