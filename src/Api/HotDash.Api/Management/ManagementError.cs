using HotDash.Api.Gateway;
using HotDash.Grains;

namespace HotDash.Api.Management;

/// <summary>A refused management call: the status, an OpenAI-shaped error's message and type, and the field at fault.</summary>
internal sealed record ManagementError(int Status, string Message, string? Param, string Type)
{
    /// <summary>400 naming <paramref name="param"/>.</summary>
    public static ManagementError Invalid(string? param, string message) => new(400, message, param, OpenAiError.InvalidRequest);

    /// <summary>404: the object named by <paramref name="param"/> does not exist.</summary>
    public static ManagementError NotFound(string? param, string message) => new(404, message, param, OpenAiError.NotFound);

    /// <summary>The registry's refusal, its status, message and field passed through.</summary>
    public static ManagementError FromRegistry(RegistryResult result) => result.Status switch
    {
        404 => NotFound(result.Param, result.Message ?? "Not found."),
        400 => Invalid(result.Param, result.Message ?? "Refused by the registry."),
        _ => new(result.Status, result.Message ?? $"The registry refused the change ({result.Status}).", result.Param, OpenAiError.TypeForStatus(result.Status)),
    };
}
