namespace HotDash.Hosting.Configuration;

/// <summary>A configuration that cannot run: the message names the key path (and the line, when known).</summary>
public sealed class ConfigException(string keyPath, string problem, int? line = null)
    : Exception(line is null ? $"{keyPath}: {problem}" : $"{keyPath} (line {line}): {problem}")
{
    /// <summary>The failing key, e.g. <c>model_list[2].litellm_params.model</c>.</summary>
    public string KeyPath { get; } = keyPath;

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; } = problem;
}
