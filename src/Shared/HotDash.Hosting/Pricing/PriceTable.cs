using System.Collections.Frozen;
using System.Text.Json;
using HotDash.Hosting.Configuration;

namespace HotDash.Hosting.Pricing;

/// <summary>
/// The bundled prices of the major OpenAI, Anthropic, Google and Mistral models (<c>model_prices.json</c>,
/// LiteLLM's field names), and the price of a deployment: its <c>model_info</c> costs when set, else the
/// table's entry for <c>model_info.base_model</c> or the upstream model name.
/// </summary>
public static class PriceTable
{
    private static readonly Lazy<FrozenDictionary<string, ModelPrice>> Table = new(Load);

    /// <summary>Free: the mock provider and deployments with no known price.</summary>
    public static readonly ModelPrice Free = new(0, 0);

    /// <summary>The bundled entry for a model name (with or without its provider prefix), or null.</summary>
    public static ModelPrice? Find(string model) =>
        Table.Value.TryGetValue(model, out var p) ? p
        : model.IndexOf('/') is > 0 and var slash && Table.Value.TryGetValue(model[(slash + 1)..], out p) ? p
        : null;

    /// <summary>The price a deployment's calls are charged at (never null: <see cref="Free"/> when unknown).</summary>
    public static ModelPrice For(ModelDeployment d)
    {
        if (d.Provider == Providers.Mock)
        {
            return new ModelPrice(d.InputCostPerToken ?? 0, d.OutputCostPerToken ?? 0);
        }
        var baseModel = d.ModelInfo.GetValueOrDefault("base_model") as string ?? d.LiteLlmParams.GetValueOrDefault("base_model") as string;
        var listed = (baseModel is null ? null : Find(baseModel)) ?? Find($"{d.Provider}/{d.UpstreamModel}") ?? Find(d.UpstreamModel);
        if (d.InputCostPerToken is null && d.OutputCostPerToken is null)
        {
            return listed ?? Free;
        }
        return new ModelPrice(d.InputCostPerToken ?? listed?.InputCostPerToken ?? 0, d.OutputCostPerToken ?? listed?.OutputCostPerToken ?? 0,
            listed?.CacheReadInputTokenCost, listed?.Mode, listed?.MaxInputTokens, listed?.MaxOutputTokens);
    }

    private static FrozenDictionary<string, ModelPrice> Load()
    {
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream("HotDash.Hosting.Pricing.model_prices.json")
            ?? throw new InvalidOperationException("model_prices.json is not embedded in HotDash.Hosting");
        using var doc = JsonDocument.Parse(stream);
        var table = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Object)
            {
                continue; // the _comment
            }
            var e = entry.Value;
            table[entry.Name] = new ModelPrice(
                Number(e, "input_cost_per_token") ?? 0,
                Number(e, "output_cost_per_token") ?? 0,
                Number(e, "cache_read_input_token_cost"),
                e.TryGetProperty("mode", out var m) ? m.GetString() : null,
                (int?)Number(e, "max_input_tokens"),
                (int?)Number(e, "max_output_tokens"));
        }
        // "gemini/gemini-2.0-flash" is also found as "gemini-2.0-flash", as LiteLLM resolves a bare name.
        foreach (var (key, price) in table.ToList())
        {
            if (key.IndexOf('/') is > 0 and var slash)
            {
                table.TryAdd(key[(slash + 1)..], price);
            }
        }
        return table.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static decimal? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : null;
}
