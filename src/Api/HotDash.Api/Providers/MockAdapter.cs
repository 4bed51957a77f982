using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using HotDash.Api.Gateway;

namespace HotDash.Api.Providers;

/// <summary>
/// The built-in model (<c>mock/NAME</c>, and any request carrying LiteLLM's <c>mock_response</c>):
/// deterministic replies in OpenAI's exact wire format, token counts from the real tokenizer,
/// streaming, embeddings, and optional latency.
/// </summary>
internal sealed class MockAdapter(TokenCounter tokens, TimeProvider time) : IProviderAdapter
{
    private const int MaxInputs = 2048;

    public async ValueTask<UpstreamResult> SendAsync(GatewayCall call, TimeSpan timeout)
    {
        var d = call.Deployment;
        try
        {
            if (d.MockLatencyMs > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(d.MockLatencyMs), time, call.Aborted);
            }
            // The same depth the inspector accepted: a body that passed validation must parse here too.
            using var doc = JsonDocument.Parse(call.Body.Memory, new JsonDocumentOptions { MaxDepth = RequestInspector.MaxDepth });
            return call.Kind switch
            {
                EndpointKind.Embeddings => await EmbedAsync(call, doc.RootElement),
                _ => await CompleteAsync(call, doc.RootElement),
            };
        }
        catch (OperationCanceledException) when (call.Aborted.IsCancellationRequested)
        {
            return UpstreamResult.Gone;
        }
        catch (IOException) when (call.Aborted.IsCancellationRequested)
        {
            return UpstreamResult.Gone;
        }
        catch (JsonException e)
        {
            return UpstreamResult.Failed(400, $"The request body is not valid JSON: {e.Message}", OpenAiError.InvalidRequest, retryable: false);
        }
    }

    private async ValueTask<UpstreamResult> CompleteAsync(GatewayCall call, JsonElement root)
    {
        var chat = call.Kind == EndpointKind.ChatCompletions;
        var (promptText, promptTokens) = chat ? ReadMessages(root) : ReadPrompt(root);
        var reply = call.Info.MockResponse ?? call.Deployment.MockResponse ?? DefaultReply(call.Deployment.ModelName, promptText, chat);
        var finish = "stop";
        var completionTokens = tokens.Count(reply);
        if (call.Info.MaxTokens is { } max && completionTokens > max)
        {
            reply = tokens.Truncate(reply, max);
            completionTokens = tokens.Count(reply);
            finish = "length";
        }
        var usage = new TokenUsage(promptTokens, completionTokens);
        var id = (chat ? "chatcmpl-" : "cmpl-") + call.CallId.Replace("-", "", StringComparison.Ordinal);
        var created = time.GetUtcNow().ToUnixTimeSeconds();

        if (!call.Info.Stream)
        {
            var buffer = new ArrayBufferWriter<byte>(512 + reply.Length);
            using (var w = new Utf8JsonWriter(buffer))
            {
                WriteHead(w, id, chat ? "chat.completion" : "text_completion", created, call.Info.Model!);
                w.WriteStartArray("choices");
                w.WriteStartObject();
                w.WriteNumber("index", 0);
                if (chat)
                {
                    w.WriteStartObject("message");
                    w.WriteString("role", "assistant");
                    w.WriteString("content", reply);
                    w.WriteNull("refusal");
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteString("text", reply);
                }
                w.WriteNull("logprobs");
                w.WriteString("finish_reason", finish);
                w.WriteEndObject();
                w.WriteEndArray();
                WriteUsage(w, usage);
                w.WriteEndObject();
            }
            call.SetSuccessHeaders("application/json", usage);
            call.Context.Response.ContentLength = buffer.WrittenCount;
            await call.Context.Response.Body.WriteAsync(buffer.WrittenMemory, call.Aborted);
            call.Trace?.SetResponse(buffer.WrittenSpan);
            call.Cache?.SetBody(buffer.WrittenSpan);
            return UpstreamResult.Written(200, usage);
        }

        call.SetSuccessHeaders("text/event-stream");
        SseWriter.PrepareResponse(call.Context);
        await call.Context.Response.StartAsync(call.Aborted);
        var writer = call.Context.Response.BodyWriter;
        var includeUsage = call.Info.IncludeUsage;
        var pieces = Pieces(reply);
        var delay = call.Deployment.MockChunkDelayMs;
        var chunk = new ArrayBufferWriter<byte>(256);
        for (var i = -1; i <= pieces.Count; i++)
        {
            chunk.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(chunk))
            {
                WriteHead(w, id, chat ? "chat.completion.chunk" : "text_completion", created, call.Info.Model!);
                w.WriteStartArray("choices");
                w.WriteStartObject();
                w.WriteNumber("index", 0);
                if (chat)
                {
                    w.WriteStartObject("delta");
                    if (i == -1)
                    {
                        w.WriteString("role", "assistant");
                        w.WriteString("content", "");
                    }
                    else if (i < pieces.Count)
                    {
                        w.WriteString("content", pieces[i]);
                    }
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteString("text", i >= 0 && i < pieces.Count ? pieces[i] : "");
                }
                w.WriteNull("logprobs");
                if (i == pieces.Count)
                {
                    w.WriteString("finish_reason", finish);
                }
                else
                {
                    w.WriteNull("finish_reason");
                }
                w.WriteEndObject();
                w.WriteEndArray();
                if (includeUsage)
                {
                    w.WriteNull("usage"); // as OpenAI: every chunk but the last carries "usage": null
                }
                w.WriteEndObject();
            }
            if (!chat && i == -1)
            {
                continue; // text completions have no role chunk
            }
            call.Trace?.AddChunk(chunk.WrittenSpan);
            call.Cache?.AddChunk(chunk.WrittenSpan);
            SseWriter.WriteEvent(writer, chunk.WrittenSpan);
            await writer.FlushAsync(call.Aborted);
            if (delay > 0 && i >= 0 && i < pieces.Count)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(delay), time, call.Aborted);
            }
        }
        if (includeUsage)
        {
            chunk.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(chunk))
            {
                WriteHead(w, id, chat ? "chat.completion.chunk" : "text_completion", created, call.Info.Model!);
                w.WriteStartArray("choices");
                w.WriteEndArray();
                WriteUsage(w, usage);
                w.WriteEndObject();
            }
            call.Trace?.AddChunk(chunk.WrittenSpan);
            call.Cache?.AddChunk(chunk.WrittenSpan);
            SseWriter.WriteEvent(writer, chunk.WrittenSpan);
        }
        SseWriter.WriteDone(writer);
        await writer.FlushAsync(call.Aborted);
        return UpstreamResult.Written(200, usage);
    }

    private async ValueTask<UpstreamResult> EmbedAsync(GatewayCall call, JsonElement root)
    {
        var inputs = new List<string>();
        var input = root.GetProperty("input");
        if (input.ValueKind == JsonValueKind.String)
        {
            inputs.Add(input.GetString()!);
        }
        else
        {
            var ints = new StringBuilder();
            foreach (var item in input.EnumerateArray())
            {
                switch (item.ValueKind)
                {
                    case JsonValueKind.String:
                        inputs.Add(item.GetString()!);
                        break;
                    case JsonValueKind.Number:
                        ints.Append('t').Append(item.GetRawText()).Append(' ');
                        break;
                    case JsonValueKind.Array:
                        var tokensText = new StringBuilder();
                        foreach (var t in item.EnumerateArray())
                        {
                            tokensText.Append('t').Append(t.GetRawText()).Append(' ');
                        }
                        inputs.Add(tokensText.ToString());
                        break;
                    default:
                        return UpstreamResult.Failed(400, "'input' must be a string, an array of strings, or an array of token arrays.", OpenAiError.InvalidRequest, retryable: false);
                }
            }
            if (ints.Length > 0)
            {
                inputs.Add(ints.ToString()); // one token array given flat is one input
            }
        }
        if (inputs.Count == 0)
        {
            return UpstreamResult.Failed(400, "'input' must not be empty.", OpenAiError.InvalidRequest, retryable: false);
        }
        if (inputs.Count > MaxInputs)
        {
            return UpstreamResult.Failed(400, $"'input' has {inputs.Count} entries; at most {MaxInputs} are allowed per request (as OpenAI).", OpenAiError.InvalidRequest, retryable: false);
        }

        var dims = call.Deployment.EmbeddingDimensions;
        if (root.TryGetProperty("dimensions", out var dp) && dp.ValueKind == JsonValueKind.Number)
        {
            if (!dp.TryGetInt32(out dims) || dims < 1 || dims > 16384)
            {
                return UpstreamResult.Failed(400, "'dimensions' must be a whole number from 1 to 16384.", OpenAiError.InvalidRequest, retryable: false);
            }
        }
        var base64 = root.TryGetProperty("encoding_format", out var ef) && ef.ValueKind == JsonValueKind.String && ef.GetString() == "base64";

        var promptTokens = 0;
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(1L << 20, (long)inputs.Count * dims * (base64 ? 6 : 12) + 256));
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            for (var i = 0; i < inputs.Count; i++)
            {
                promptTokens += tokens.Count(inputs[i]);
                var vector = MockEmbedding.Embed(inputs[i], dims);
                w.WriteStartObject();
                w.WriteString("object", "embedding");
                w.WriteNumber("index", i);
                if (base64)
                {
                    w.WriteBase64String("embedding", MemoryMarshal.AsBytes(vector.AsSpan()));
                }
                else
                {
                    w.WriteStartArray("embedding");
                    foreach (var x in vector)
                    {
                        w.WriteNumberValue(x);
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("model", call.Info.Model);
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", promptTokens);
            w.WriteNumber("total_tokens", promptTokens);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        var embeddingUsage = new TokenUsage(promptTokens, 0);
        call.SetSuccessHeaders("application/json", embeddingUsage);
        call.Context.Response.ContentLength = buffer.WrittenCount;
        await call.Context.Response.Body.WriteAsync(buffer.WrittenMemory, call.Aborted);
        call.Cache?.SetBody(buffer.WrittenSpan);
        return UpstreamResult.Written(200, embeddingUsage);
    }

    private (string LastUserText, int Tokens) ReadMessages(JsonElement root)
    {
        var last = "";
        var count = 3; // every reply is primed with <|start|>assistant<|message|>
        foreach (var m in root.GetProperty("messages").EnumerateArray())
        {
            count += 3;
            var role = m.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            var text = ContentText(m);
            count += tokens.Count(text) + (role is null ? 0 : tokens.Count(role));
            if (role == "user")
            {
                last = text;
            }
        }
        return (last, count);
    }

    private (string Prompt, int Tokens) ReadPrompt(JsonElement root)
    {
        var p = root.GetProperty("prompt");
        var text = p.ValueKind == JsonValueKind.String ? p.GetString()!
            : string.Join("\n", p.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()));
        return (text, tokens.Count(text));
    }

    private static string ContentText(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var c))
        {
            return "";
        }
        if (c.ValueKind == JsonValueKind.String)
        {
            return c.GetString()!;
        }
        if (c.ValueKind != JsonValueKind.Array)
        {
            return "";
        }
        var sb = new StringBuilder();
        foreach (var part in c.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            {
                sb.Append(t.GetString());
            }
        }
        return sb.ToString();
    }

    private static string DefaultReply(string model, string prompt, bool chat)
    {
        var said = prompt.Length > 400 ? prompt[..400] + "..." : prompt;
        return chat
            ? $"This is a mock response from {model}. You said: {said}"
            : $"This is a mock completion from {model} for: {said}";
    }

    /// <summary>The reply cut into word-sized stream chunks (each keeps its leading space).</summary>
    private static List<string> Pieces(string reply)
    {
        var pieces = new List<string>();
        var start = 0;
        for (var i = 1; i < reply.Length; i++)
        {
            if (reply[i] == ' ')
            {
                pieces.Add(reply[start..i]);
                start = i;
            }
        }
        if (start < reply.Length)
        {
            pieces.Add(reply[start..]);
        }
        return pieces;
    }

    private static void WriteHead(Utf8JsonWriter w, string id, string obj, long created, string model)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", obj);
        w.WriteNumber("created", created);
        w.WriteString("model", model);
        w.WriteNull("system_fingerprint");
    }

    private static void WriteUsage(Utf8JsonWriter w, TokenUsage usage)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", usage.PromptTokens);
        w.WriteNumber("completion_tokens", usage.CompletionTokens);
        w.WriteNumber("total_tokens", usage.TotalTokens);
        w.WriteEndObject();
    }
}
