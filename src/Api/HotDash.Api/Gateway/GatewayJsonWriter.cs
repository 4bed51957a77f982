using System.Text.Encodings.Web;
using System.Text.Json;

namespace HotDash.Api.Gateway;

/// <summary>How the gateway's own JSON (errors, management answers) is written.</summary>
internal static class GatewayJsonWriter
{
    /// <summary>
    /// Only what JSON itself requires is escaped: the default encoder also escapes <c>+</c>, <c>'</c>, <c>&lt;</c>, ...
    /// for HTML pages, which makes timestamps read <c>\u002B00:00</c>. These answers are never embedded in HTML.
    /// </summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
