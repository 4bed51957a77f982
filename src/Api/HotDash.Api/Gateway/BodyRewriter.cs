using System.Text.Json;

namespace HotDash.Api.Gateway;

/// <summary>
/// Splices the forwarded body: the model name swapped for the upstream's and gateway-only fields cut,
/// every other byte exactly as the client sent it. Returns null when nothing needs to change.
/// </summary>
internal static class BodyRewriter
{
    public static PooledBody? Rewrite(ReadOnlySpan<byte> body, RequestInfo info, string upstreamModel)
    {
        var replaceModel = info.ModelTokenStart >= 0 && info.Model != upstreamModel;
        if (!replaceModel && info.GatewayOnlyProperties.Count == 0)
        {
            return null;
        }

        var modelToken = replaceModel ? JsonString(upstreamModel) : [];
        var output = new PooledBody(body.Length + modelToken.Length);
        var position = 0;
        var edits = new List<(int Start, int End, byte[] Insert)>(info.GatewayOnlyProperties.Count + 1);
        foreach (var r in info.GatewayOnlyProperties)
        {
            var (start, end) = (r.Start.Value, r.End.Value);
            if (!body[start..end].Contains((byte)','))
            {
                // The first property has no leading comma: take the one that follows it instead.
                var rest = end;
                while (rest < body.Length && body[rest] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    rest++;
                }
                if (rest < body.Length && body[rest] == (byte)',')
                {
                    end = rest + 1;
                }
            }
            edits.Add((start, end, []));
        }
        if (replaceModel)
        {
            edits.Add((info.ModelTokenStart, info.ModelTokenEnd, modelToken));
        }
        edits.Sort((a, b) => a.Start.CompareTo(b.Start));

        foreach (var (start, end, insert) in edits)
        {
            if (start < position)
            {
                continue; // overlapping edit (cannot happen for distinct properties); keep the first
            }
            Append(output, body[position..start]);
            Append(output, insert);
            position = end;
        }
        Append(output, body[position..]);
        return output;
    }

    private static void Append(PooledBody output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.FreeSpace(bytes.Length).Span);
        output.Advance(bytes.Length);
    }

    private static byte[] JsonString(string s) =>
        JsonSerializer.SerializeToUtf8Bytes(s, GatewayJson.Default.String);
}
