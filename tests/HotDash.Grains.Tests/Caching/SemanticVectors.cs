namespace HotDash.Grains.Tests.Caching;

/// <summary>Deterministic test vectors: random unit directions and close neighbours of them (paraphrases).</summary>
internal static class SemanticVectors
{
    /// <summary>A pseudo-random vector (not normalised: the index must scale it) from <paramref name="seed"/>.</summary>
    public static float[] Random(int seed, int dimension)
    {
        var random = new Random(seed);
        var v = new float[dimension];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)(random.NextDouble() * 2 - 1) * 3;
        }
        return v;
    }

    /// <summary><paramref name="of"/> plus noise of relative size <paramref name="noise"/>: cosine ≈ 1/sqrt(1 + noise²).</summary>
    public static float[] Near(float[] of, int seed, double noise)
    {
        var random = new Random(seed);
        var norm = Math.Sqrt(of.Sum(x => (double)x * x));
        var scale = noise * norm / Math.Sqrt(of.Length / 3.0); // uniform [-1, 1) has variance 1/3
        return [.. of.Select(x => (float)(x + (random.NextDouble() * 2 - 1) * scale))];
    }

    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }
}
