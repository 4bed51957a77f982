using System.Diagnostics;
using System.Globalization;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Orleans;
using HotDash.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The quota path's pieces in isolation: an in-process HotDash silo (the real grains, memory storage) and an Orleans
// client over loopback TCP, as the gateway is. Prints p50/p99 latency and process CPU per call for a bare grain call,
// a quota grain reserve + settle, and the whole AdmitKey + settle of a key in a team, back to back and with idle gaps
// (the bench harness's light load sends one request per 10 ms, so every hop starts from sleeping threads).
// Usage: dotnet run -c Release --project bench/HotDash.Bench.Quota [seconds per case, default 5]
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
await using var silo = await TestSilo.StartAsync();
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

// Limits that never refuse, so every call takes the whole path.
var limits = QuotaLimits.None with { RpmLimit = 1_000_000_000, TpmLimit = 1_000_000_000_000, MaxParallelRequests = 1_000_000, MaxBudget = 1_000_000m };
var actor = new AuditActor("bench", "");
var registry = grains.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey);
await registry.CreateTeam(new TeamDefinition("bench-team") { Limits = limits }, actor);
var token = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("sk-bench-quota"u8));
await registry.CreateKey(new KeyDefinition(token) { TeamId = "bench-team", Limits = limits }, actor);
var admission = grains.GetGrain<IAdmissionGrain>(IAdmissionGrain.DefaultKey);
var quota = grains.GetGrain<IQuotaGrain>(QuotaSubjects.Key(token));
var gateways = grains.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.DefaultKey);

var cases = new (string Name, Func<Task> Call)[]
{
    ("grain call (registry GetGateways)", () => gateways.GetGateways()),
    ("quota Reserve + one-way Settle", async () =>
    {
        var id = Guid.NewGuid().ToString();
        await quota.Reserve(new QuotaRequest(id, "gpt-4o-mini", 30, 0.0001m, limits));
        quota.Settle(new QuotaSettlement(id, 20, 0.00005m)).Ignore();
    }),
    ("AdmitKey (key + team) + one-way Settle", async () =>
    {
        var id = Guid.NewGuid().ToString();
        var d = await admission.AdmitKey(new KeyAdmissionRequest(id, token, "gpt-4o-mini", [], 30, 0.0001m));
        admission.Settle(new AdmissionSettlement(id, d.SubjectKeys, 20, 0.00005m)).Ignore();
    }),
};

Console.WriteLine($"HotDash quota path, {Environment.ProcessorCount} CPU(s), {seconds:0.#} s per case (after {seconds / 2:0.#} s warm-up)");
Console.WriteLine($"{"case",-42} {"load",-22} {"calls/s",9} {"p50 us",8} {"p99 us",8} {"CPU us/call",12}");
foreach (var (name, call) in cases)
{
    foreach (var (load, concurrency, gap) in new[] { ("back to back, 1", 1, 0), ("back to back, 32", 32, 0), ("1 per 10 ms (light)", 1, 10) })
    {
        await RunAsync(call, concurrency, gap, seconds / 2); // warm-up
        var r = await RunAsync(call, concurrency, gap, seconds);
        Console.WriteLine($"{name,-42} {load,-22} {r.Rate,9:0} {r.P50,8:0} {r.P99,8:0} {r.CpuPerCall,12:0.0}");
    }
}
await client.StopAsync();

static async Task<(double Rate, double P50, double P99, double CpuPerCall)> RunAsync(Func<Task> call, int concurrency, int gapMs, double seconds)
{
    var process = Process.GetCurrentProcess();
    var cpu0 = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var all = new List<double>();
    var workers = Enumerable.Range(0, concurrency).Select(async _ =>
    {
        var mine = new List<double>();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            var t0 = Stopwatch.GetTimestamp();
            await call();
            mine.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
            if (gapMs > 0)
            {
                await Task.Delay(gapMs);
            }
        }
        lock (all)
        {
            all.AddRange(mine);
        }
    }).ToArray();
    await Task.WhenAll(workers);
    var elapsed = clock.Elapsed.TotalSeconds;
    process.Refresh();
    all.Sort();
    return (all.Count / elapsed, all[all.Count / 2], all[(int)(all.Count * 0.99)], (process.TotalProcessorTime - cpu0).TotalMicroseconds / all.Count);
}
