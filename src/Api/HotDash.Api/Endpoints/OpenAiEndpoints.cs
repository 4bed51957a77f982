using System.Buffers;
using System.Text.Json;
using HotDash.Api.Gateway;
using HotDash.Api.Quotas;

namespace HotDash.Api.Endpoints;

/// <summary>The OpenAI-compatible surface, with and without the <c>/v1</c> prefix, as LiteLLM serves it.</summary>
internal static class OpenAiEndpoints
{
    public static IEndpointRouteBuilder MapOpenAiEndpoints(this IEndpointRouteBuilder app)
    {
        var pipeline = app.ServiceProvider.GetRequiredService<GatewayPipeline>();
        var catalog = app.ServiceProvider.GetRequiredService<ModelCatalog>();
        var auth = app.ServiceProvider.GetRequiredService<MasterKeyAuth>();
        var quotas = app.ServiceProvider.GetRequiredService<QuotaGate>();
        var modelList = ModelListJson(catalog);

        foreach (var prefix in (string[])["/v1", ""])
        {
            app.MapPost($"{prefix}/chat/completions", ctx => pipeline.HandleAsync(ctx, EndpointKind.ChatCompletions));
            app.MapPost($"{prefix}/completions", ctx => pipeline.HandleAsync(ctx, EndpointKind.Completions));
            app.MapPost($"{prefix}/embeddings", ctx => pipeline.HandleAsync(ctx, EndpointKind.Embeddings));
            app.MapGet($"{prefix}/models", async ctx =>
            {
                if (await AuthorizeAsync(ctx, auth, quotas))
                {
                    await WriteJsonAsync(ctx, modelList);
                }
            });
            app.MapGet($"{prefix}/models/{{**id}}", async ctx =>
            {
                if (!await AuthorizeAsync(ctx, auth, quotas))
                {
                    return;
                }
                var id = (string)ctx.Request.RouteValues["id"]!;
                await (catalog.TryGetGroup(id, out _)
                    ? WriteJsonAsync(ctx, ModelJson(id, catalog.Created))
                    : OpenAiError.WriteAsync(ctx, 404, $"The model '{id}' does not exist. Known models: {catalog.KnownList()}.", OpenAiError.InvalidRequest, "model"));
            });
        }
        return app;
    }

    /// <summary>
    /// The master key, an open gateway, or a virtual key that exists and is neither blocked nor expired (its cached
    /// definition, no quota used); otherwise answers 401 (or 503 when keys cannot be checked) and returns false.
    /// Every model is listed to every key that may list them at all.
    /// </summary>
    private static async Task<bool> AuthorizeAsync(HttpContext ctx, MasterKeyAuth auth, QuotaGate quotas)
    {
        var caller = auth.Authenticate(ctx.Request);
        if (caller.Kind is CallerKind.Master or CallerKind.Open || caller.OpenGateway)
        {
            return true;
        }
        if (caller.Kind == CallerKind.Missing)
        {
            await Unauthorized(ctx, caller.Rejection);
            return false;
        }
        switch (await quotas.LookupAsync(caller.KeyHash))
        {
            case KeyLookup.Valid:
                return true;
            case KeyLookup.Expired:
                await OpenAiError.WriteAsync(ctx, 401, "Authentication Error: the API key has expired.", OpenAiError.ExpiredKey, "api_key");
                return false;
            case KeyLookup.Unavailable:
                await OpenAiError.WriteAsync(ctx, 503,
                    "The gateway cannot check API keys right now: the HotDash cluster is unreachable. Retry shortly.", OpenAiError.ServiceUnavailable);
                return false;
            default:
                await Unauthorized(ctx);
                return false;
        }
    }

    private static Task WriteJsonAsync(HttpContext ctx, byte[] json)
    {
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength = json.Length;
        return ctx.Response.Body.WriteAsync(json, ctx.RequestAborted).AsTask();
    }

    private static Task Unauthorized(HttpContext ctx, string? message = null) =>
        OpenAiError.WriteAsync(ctx, 401, message ?? "Authentication Error: invalid or missing API key. Send 'Authorization: Bearer <key>'.", OpenAiError.Auth, "api_key");

    // The list never changes while the process runs: serialise it once.
    private static byte[] ModelListJson(ModelCatalog catalog)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (var name in catalog.PublicNames)
            {
                WriteModel(w, name, catalog.Created);
            }
            w.WriteEndArray();
            w.WriteString("object", "list");
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] ModelJson(string id, long created)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteModel(w, id, created);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteModel(Utf8JsonWriter w, string id, long created)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "model");
        w.WriteNumber("created", created);
        w.WriteString("owned_by", "openai"); // what LiteLLM reports for every model
        w.WriteEndObject();
    }
}
