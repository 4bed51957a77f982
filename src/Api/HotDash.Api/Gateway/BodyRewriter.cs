using System.Text.Json;

namespace HotDash.Api.Gateway;

/// <summary>
/// Splices the forwarded body: the model name swapped for the upstream's and gateway-only fields cut,
/// every other byte exactly as the client sent it. Returns null when nothing needs to change.
/// </summary>
internal static class BodyRewriter
{
    public static PooledBody? Rewrite(ReadOnlySpan<byte> body, RequestInfo info, string upstreamModel) =>
        Rewrite(body, info, upstreamModel, JsonString(upstreamModel));

    // upstreamModelJson: the upstream model as a JSON string token (JsonString), made once per deployment.
    public static PooledBody? Rewrite(ReadOnlySpan<byte> body, RequestInfo info, string upstreamModel, byte[] upstreamModelJson)
    {
        var replaceModel = info.ModelTokenStart >= 0 && info.Model != upstreamModel;
        if (!replaceModel && info.GatewayOnlyProperties.Count == 0)
        {
            return null;
        }

        var modelToken = replaceModel ? upstreamModelJson : [];
        var output = new PooledBody(body.Length + modelToken.Length);
        var position = 0;
        var edits = new List<(int Start, int End, byte[] Insert)>(info.GatewayOnlyProperties.Count + 1);
        var cuts = info.GatewayOnlyProperties;
        for (var i = 0; i < cuts.Count; i++)
        {
            // Neighbouring cut properties go as one run, so exactly one separating comma goes with them.
            var (start, end) = (cuts[i].Start.Value, cuts[i].End.Value);
            while (i + 1 < cuts.Count && OnlySeparator(body[end..cuts[i + 1].Start.Value]))
            {
                end = cuts[++i].End.Value;
            }
            var after = SkipSpace(body, end);
            if (after < body.Length && body[after] == (byte)',')
            {
                end = SkipSpace(body, after + 1); // the run's trailing comma, and the indent before the next property
            }
            else
            {
                var before = start - 1;
                while (before > 0 && IsSpace(body[before]))
                {
                    before--;
                }
                if (body[before] == (byte)',')
                {
                    start = before; // the run ends the object: take the comma before it
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
            Append(output, body[position..start]);
            Append(output, insert);
            position = end;
        }
        Append(output, body[position..]);
        return output;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static int SkipSpace(ReadOnlySpan<byte> body, int i)
    {
        while (i < body.Length && IsSpace(body[i]))
        {
            i++;
        }
        return i;
    }

    private static bool OnlySeparator(ReadOnlySpan<byte> gap)
    {
        var commas = 0;
        foreach (var b in gap)
        {
            if (b == (byte)',')
            {
                commas++;
            }
            else if (!IsSpace(b))
            {
                return false;
            }
        }
        return commas == 1;
    }

    private static void Append(PooledBody output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.FreeSpace(bytes.Length).Span);
        output.Advance(bytes.Length);
    }

    public static byte[] JsonString(string s) =>
        JsonSerializer.SerializeToUtf8Bytes(s, GatewayJson.Default.String);
}
