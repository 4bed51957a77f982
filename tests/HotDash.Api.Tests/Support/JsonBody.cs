namespace HotDash.Api.Tests.Support;

/// <summary>Request bodies as the OpenAI SDKs send them, for the raw-HTTP tests.</summary>
internal static class JsonBody
{
    /// <summary><paramref name="json"/> as <c>application/json; charset=utf-8</c>.</summary>
    public static StringContent Of(string json) => new(json, Encoding.UTF8, "application/json");
}
