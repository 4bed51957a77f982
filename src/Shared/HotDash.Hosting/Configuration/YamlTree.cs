using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HotDash.Hosting.Configuration;

/// <summary>
/// Turns a YAML document into plain values (<see cref="ConfigMap"/>, lists, strings, longs, doubles,
/// bools, null) with YAML 1.1 scalar rules, as PyYAML reads a LiteLLM config.
/// </summary>
internal static class YamlTree
{
    public static ConfigMap Parse(string text, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException(sourceName, $"not valid YAML: {e.InnerException?.Message ?? e.Message}", (int)e.Start.Line);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new ConfigMap(1);
        }

        return Convert(stream.Documents[0].RootNode, sourceName) as ConfigMap
            ?? throw new ConfigException(sourceName, "the top level must be a mapping of sections (model_list:, general_settings:, ...)", 1);
    }

    private static object? Convert(YamlNode node, string path) => node switch
    {
        YamlMappingNode map => ConvertMap(map, path),
        YamlSequenceNode seq => seq.Children.Select((c, i) => Convert(c, $"{path}[{i}]")).ToList(),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw new ConfigException(path, "YAML aliases and tags are not supported here", (int)node.Start.Line),
    };

    private static ConfigMap ConvertMap(YamlMappingNode map, string path)
    {
        var result = new ConfigMap((int)map.Start.Line);
        foreach (var (k, v) in map.Children)
        {
            var key = (k as YamlScalarNode)?.Value
                ?? throw new ConfigException(path, "mapping keys must be plain strings", (int)k.Start.Line);
            result.Add(key, Convert(v, path.Length == 0 ? key : $"{path}.{key}"), (int)v.Start.Line);
        }
        return result;
    }

    private static object? ConvertScalar(YamlScalarNode s)
    {
        var v = s.Value;
        if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return v;
        }
        switch (v)
        {
            case null or "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON":
                return true;
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF":
                return false;
        }
        var plain = v.Replace("_", "", StringComparison.Ordinal);
        if (long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }
        if (plain.Length > 0 && (char.IsDigit(plain[0]) || plain[0] is '-' or '+' or '.')
            && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }
        return v;
    }
}
