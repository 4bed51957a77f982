using System.Buffers;
using System.Text.Json;
using HotDash.Api.Gateway;

namespace HotDash.Api.Endpoints;

/// <summary>The OpenAI-compatible surface, with and without the <c>/v1</c> prefix, as LiteLLM serves it.</summary>
internal static class OpenAiEndpoints
{
    public static IEndpointRouteBuilder MapOpenAiEndpoints(this IEndpointRouteBuilder app)
    {
        var pipeline = app.ServiceProvider.GetRequiredService<GatewayPipeline>();
        var catalog = app.ServiceProvider.GetRequiredService<ModelCatalog>();
        var auth = app.ServiceProvider.GetRequiredService<MasterKeyAuth>();
        var modelList = ModelListJson(catalog);

        foreach (var prefix in (string[])["/v1", ""])
        {
            app.MapPost($"{prefix}/chat/completions", ctx => pipeline.HandleAsync(ctx, EndpointKind.ChatCompletions));
            app.MapPost($"{prefix}/completions", ctx => pipeline.HandleAsync(ctx, EndpointKind.Completions));
            app.MapPost($"{prefix}/embeddings", ctx => pipeline.HandleAsync(ctx, EndpointKind.Embeddings));
            app.MapGet($"{prefix}/models", ctx => WriteJsonAsync(ctx, auth, modelList));
            app.MapGet($"{prefix}/models/{{**id}}", ctx =>
            {
                var id = (string)ctx.Request.RouteValues["id"]!;
                return catalog.TryGetGroup(id, out _)
                    ? WriteJsonAsync(ctx, auth, ModelJson(id, catalog.Created))
                    : auth.IsAuthorized(ctx.Request)
                        ? OpenAiError.WriteAsync(ctx, 404, $"The model '{id}' does not exist. Known models: {catalog.KnownList()}.", OpenAiError.InvalidRequest, "model")
                        : Unauthorized(ctx);
            });
        }
        return app;
    }

    private static Task WriteJsonAsync(HttpContext ctx, MasterKeyAuth auth, byte[] json)
    {
        if (!auth.IsAuthorized(ctx.Request))
        {
            return Unauthorized(ctx);
        }
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength = json.Length;
        return ctx.Response.Body.WriteAsync(json, ctx.RequestAborted).AsTask();
    }

    private static Task Unauthorized(HttpContext ctx) =>
        OpenAiError.WriteAsync(ctx, 401, "Authentication Error: invalid or missing API key. Send 'Authorization: Bearer <key>'.", OpenAiError.Auth, "api_key");

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
