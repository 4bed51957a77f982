using System.Text.Json;
using HotDash.Grains;
using HotDash.Hosting.Configuration;

namespace HotDash.Api.Management;

/// <summary>
/// The config the management API honours: <c>litellm_settings.default_team_params</c> (values for the <c>/team/new</c>
/// fields a request leaves out) and <c>litellm_settings.upperbound_key_generate_params</c>. Checked when the gateway
/// starts: a bad value stops it with exit code 2 naming the setting.
/// </summary>
internal sealed class ManagementSettings
{
    private const string DefaultTeamParamsKey = "default_team_params";
    private const string UpperboundKey = "upperbound_key_generate_params";

    /// <summary>The defaults for new teams as a JSON object; <see langword="null"/> when the config has none.</summary>
    public JsonElement? DefaultTeamParams { get; private set; }

    /// <summary>The bounds for keys; <see cref="UpperBounds.None"/> when the config has none.</summary>
    public UpperBounds KeyUpperBounds { get; private set; } = UpperBounds.None;

    /// <summary>What is wrong with the config, naming the setting; <see langword="null"/> when it is valid.</summary>
    public string? ConfigError { get; private set; }

    /// <summary>Reads both settings from <paramref name="config"/>.</summary>
    public void Load(HotDashConfig config)
    {
        var raw = config.LiteLlmSettings.Raw;
        if (raw.TryGetValue(DefaultTeamParamsKey, out var defaults) && defaults is not null)
        {
            if (defaults is not IEnumerable<KeyValuePair<string, object?>>)
            {
                ConfigError ??= $"litellm_settings.{DefaultTeamParamsKey}: must be a mapping of /team/new fields (max_budget, budget_duration, tpm_limit, rpm_limit, models, ...)";
            }
            else
            {
                var element = ConfigJson.ToElement(defaults, TeamFields.IsDefaultable);
                // The defaults go through the same checks as a request's fields.
                using var empty = JsonDocument.Parse("{}");
                var f = new RequestFields(empty.RootElement, element);
                TeamFields.Apply(f, new TeamDefinition("default"), DateTimeOffset.UnixEpoch);
                if (f.Error is { } e)
                {
                    ConfigError ??= $"litellm_settings.{DefaultTeamParamsKey}.{e.Param}: {e.Message}";
                }
                DefaultTeamParams = element;
            }
        }
        if (raw.TryGetValue(UpperboundKey, out var bounds) && bounds is not null)
        {
            if (bounds is not IEnumerable<KeyValuePair<string, object?>>)
            {
                ConfigError ??= $"litellm_settings.{UpperboundKey}: must be a mapping ({string.Join(", ", UpperBounds.Fields)})";
            }
            else
            {
                var element = ConfigJson.ToElement(bounds, k => Array.IndexOf(UpperBounds.Fields, k) >= 0);
                KeyUpperBounds = UpperBounds.Read(element, out var error);
                if (error is not null)
                {
                    ConfigError ??= $"litellm_settings.{UpperboundKey}.{error.Param}: {error.Message}";
                }
            }
        }
    }
}
