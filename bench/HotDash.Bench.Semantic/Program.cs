using System.Diagnostics;
using System.Globalization;
using HotDash.Grains;
using HotDash.Grains.Caching;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Orleans;
using HotDash.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Semantic cache lookup time: an index of N random unit vectors (N = 10,000 and 100,000; dimension 384 and 1536),
// searched 2,000 times (half the queries paraphrase-like neighbours of an indexed prompt, half unrelated prompts;
// threshold 0.9), first on the index type directly, then through a grain call from an Orleans client over loopback TCP
// into an in-process silo, as the gateway calls it. Prints p50/p99/max and whether p99 < 2 ms at 100k holds.
// Usage: dotnet run -c Release --project bench/HotDash.Bench.Semantic [searches, default 2000]
var searches = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
const double Threshold = 0.9;
const double TargetP99Ms = 2.0;
int[] sizes = [10_000, 100_000];
int[] dims = [384, 1536];
var total = Stopwatch.StartNew();

await using var silo = await TestSilo.StartAsync(s => s.Services.AddHotDashSemanticIndex(o =>
{
    o.MaxRows = sizes.Max();
    // Nothing written during the run: this measures search, not storage.
    o.WriteEveryAdds = int.MaxValue;
    o.WriteInterval = TimeSpan.FromMinutes(10);
}));
var env = new Dictionary<string, string>
{
    ["HOTDASH_ORLEANS_GATEWAY_PORT"] = silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
    ["HOTDASH_CLUSTER_ID"] = TestSilo.ClusterId,
};
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.AddHotDashClusterClient(HotDashConfigLoader.FromYaml("", null, name => env.GetValueOrDefault(name)));
using var client = builder.Build();
await client.StartAsync();
var grains = client.Services.GetRequiredService<IClusterClient>();

Console.WriteLine($"HotDash semantic index, {Environment.ProcessorCount} CPU(s), {searches} searches per case (half near-duplicates, half unrelated), threshold {Threshold}");
Console.WriteLine($"{"path",-14} {"rows",8} {"dim",5} {"load s",7} {"hits",6} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
var results = new List<(string Path, int Rows, int Dim, double P99)>();
foreach (var dim in dims)
{
    foreach (var rows in sizes)
    {
        var data = Vectors(rows, dim, seed: rows + dim);
        var queries = Queries(data, rows, dim, searches, seed: 7 * rows + dim);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // The index type alone.
        var load = Stopwatch.StartNew();
        var index = new SemanticVectorIndex(rows);
        for (var i = 0; i < rows; i++)
        {
            index.Add(Key(i), data.AsSpan(i * dim, dim), null);
        }
        var loadSeconds = load.Elapsed.TotalSeconds;
        for (var w = 0; w < Math.Min(200, searches); w++)
        {
            index.Search(queries[w], Threshold, now);
        }
        var (hits, times) = Measure(searches, i => Task.FromResult(index.Search(queries[i], Threshold, now)));
        Report("direct", rows, dim, loadSeconds, hits, times);
        index = null;
        GC.Collect();

        // Through the grain, as the gateway asks it.
        var grain = grains.GetGrain<ISemanticIndexGrain>(ISemanticIndexGrain.KeyOf("global", $"bench-{dim}-{rows}"));
        load.Restart();
        await Parallel.ForAsync(0, rows, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            await grain.Add(Key(i), data.AsSpan(i * dim, dim).ToArray(), null));
        loadSeconds = load.Elapsed.TotalSeconds;
        for (var w = 0; w < Math.Min(200, searches); w++)
        {
            await grain.Search(queries[w], Threshold, now);
        }
        var (grainHits, grainTimes) = await MeasureAsync(searches, i => grain.Search(queries[i], Threshold, now));
        Report("grain call", rows, dim, loadSeconds, grainHits, grainTimes);
        await grain.Clear();
        GC.Collect();
    }
}
foreach (var path in new[] { "direct", "grain call" })
{
    var at100k = results.Where(r => r.Path == path && r.Rows == 100_000).ToList();
    var met = at100k.All(r => r.P99 < TargetP99Ms);
    Console.WriteLine($"target p99 < {TargetP99Ms} ms at 100k, {path}: {(met ? "met" : "NOT met")} ({string.Join(", ", at100k.Select(r => $"dim {r.Dim}: {r.P99:0.000} ms"))})");
}
Console.WriteLine($"total {total.Elapsed.TotalSeconds:0} s");
await client.StopAsync();

void Report(string path, int rows, int dim, double loadSeconds, int hits, List<double> times)
{
    times.Sort();
    var p99 = times[(int)(times.Count * 0.99)];
    results.Add((path, rows, dim, p99));
    Console.WriteLine($"{path,-14} {rows,8} {dim,5} {loadSeconds,7:0.0} {hits,6} {times[times.Count / 2],8:0.000} {p99,8:0.000} {times[^1],8:0.000}");
}

static (int Hits, List<double> Times) Measure(int count, Func<int, Task<SemanticMatch?>> search) =>
    MeasureAsync(count, search).GetAwaiter().GetResult();

static async Task<(int Hits, List<double> Times)> MeasureAsync(int count, Func<int, Task<SemanticMatch?>> search)
{
    var times = new List<double>(count);
    var hits = 0;
    for (var i = 0; i < count; i++)
    {
        var t0 = Stopwatch.GetTimestamp();
        var match = await search(i);
        times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        hits += match is null ? 0 : 1;
    }
    return (hits, times);
}

static string Key(int i) => i.ToString("x8", CultureInfo.InvariantCulture) + new string('0', 56);

// Gaussian coordinates (Box-Muller): isotropic directions, as unit vectors of a real embedding model roughly are.
static float[] Vectors(int rows, int dim, int seed)
{
    var random = new Random(seed);
    var v = new float[rows * dim];
    for (var i = 0; i < v.Length; i++)
    {
        v[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
    }
    return v;
}

// Even queries: an indexed vector plus 20% noise (cosine ~0.98, a paraphrase); odd ones: unrelated directions.
static float[][] Queries(float[] data, int rows, int dim, int count, int seed)
{
    var random = new Random(seed);
    var unrelated = Vectors(count, dim, seed + 1);
    var queries = new float[count][];
    for (var q = 0; q < count; q++)
    {
        if (q % 2 == 1)
        {
            queries[q] = unrelated.AsSpan(q * dim, dim).ToArray();
            continue;
        }
        var row = random.Next(rows);
        var norm = 0.0;
        for (var j = 0; j < dim; j++)
        {
            norm += data[(row * dim) + j] * data[(row * dim) + j];
        }
        var scale = 0.2 * Math.Sqrt(norm / dim);
        queries[q] = new float[dim];
        for (var j = 0; j < dim; j++)
        {
            queries[q][j] = data[(row * dim) + j] + (float)(unrelated[(q * dim) + j] * scale);
        }
    }
    return queries;
}
