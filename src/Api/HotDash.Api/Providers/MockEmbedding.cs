using System.Security.Cryptography;
using System.Text;

namespace HotDash.Api.Providers;

/// <summary>
/// Deterministic embeddings by feature hashing: each word adds a fixed pseudo-random direction, so the
/// same text always gets the same vector and texts sharing words point the same way (useful for
/// exercising a semantic cache without a model).
/// </summary>
internal static class MockEmbedding
{
    public static float[] Embed(string text, int dimensions)
    {
        var vector = new float[dimensions];
        var any = false;
        foreach (var word in Words(text))
        {
            any = true;
            AddDirection(vector, word);
        }
        if (!any)
        {
            AddDirection(vector, "\0empty");
        }
        Normalize(vector);
        return vector;
    }

    private static IEnumerable<string> Words(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
            else if (sb.Length > 0)
            {
                yield return sb.ToString();
                sb.Clear();
            }
        }
        if (sb.Length > 0)
        {
            yield return sb.ToString();
        }
    }

    private static void AddDirection(float[] vector, string word)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(word), hash);
        var state = BitConverter.ToUInt64(hash) | 1;
        for (var i = 0; i < vector.Length; i++)
        {
            // xorshift64*: cheap, deterministic, well spread in [-1, 1)
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            var r = state * 2685821657736338717UL;
            vector[i] += (float)((r >> 11) * (1.0 / (1UL << 53)) * 2 - 1);
        }
    }

    private static void Normalize(float[] v)
    {
        double sum = 0;
        foreach (var x in v)
        {
            sum += x * x;
        }
        var norm = (float)Math.Sqrt(sum);
        if (norm > 0)
        {
            for (var i = 0; i < v.Length; i++)
            {
                v[i] /= norm;
            }
        }
    }
}
