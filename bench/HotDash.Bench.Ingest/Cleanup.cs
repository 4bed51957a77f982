using System.Diagnostics;
using Minio;
using Minio.DataModel.Args;

namespace HotDash.Bench.Ingest;

/// <summary>
/// <c>cleanup</c>: removes what one run created in the shared stores (bench/ingest.sh calls it after HotDash stopped):
/// the fresh ClickHouse database and the fresh bucket with its archive objects. Reports what it removed.
/// </summary>
internal static class Cleanup
{
    // An archive object holds one aggregator batch (up to 1,000 events), so this bounds runs of many million events.
    private const int MaxObjects = 200_000;

    public static async Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var clickhouse = args.OptionalUrl("clickhouse");
        var database = args.Optional("clickhouse-db");
        var s3 = args.OptionalUrl("s3");
        var bucket = args.Optional("bucket");
        var accessKey = args.Optional("access-key") ?? Environment.GetEnvironmentVariable("S3_ACCESS_KEY");
        var secretKey = Environment.GetEnvironmentVariable("S3_SECRET_KEY");
        var region = args.Optional("region") ?? "us-east-1";
        args.RejectUnknown();
        var rc = 0;

        if (clickhouse is not null && database is not null)
        {
            // A busy ClickHouse 18.16 was seen taking over two minutes for this DROP (its tables' parts and merges go first).
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(240) };
            var counter = new ClickHouseCounter(http, clickhouse, database, "default",
                Environment.GetEnvironmentVariable("CLICKHOUSE_USER"), Environment.GetEnvironmentVariable("CLICKHOUSE_PASSWORD"));
            try
            {
                await counter.QueryAsync($"DROP DATABASE IF EXISTS {counter.Database}", cancellationToken);
                Console.Error.WriteLine($"bench: dropped the ClickHouse database {database}");
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                Console.Error.WriteLine($"bench: could not drop the ClickHouse database {database}: {e.Message}");
                rc = 1;
            }
        }

        if (s3 is not null && bucket is not null)
        {
            var builder = new MinioClient().WithEndpoint(s3.Host, s3.Port).WithSSL(s3.Scheme == Uri.UriSchemeHttps).WithRegion(region);
            if (accessKey is not null && secretKey is not null)
            {
                builder = builder.WithCredentials(accessKey, secretKey);
            }
            using var minio = builder.Build();
            try
            {
                if (!await minio.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket), cancellationToken))
                {
                    Console.Error.WriteLine($"bench: the bucket {bucket} does not exist (nothing was archived)");
                    return rc;
                }
                var clock = Stopwatch.StartNew();
                var keys = new List<string>();
                long bytes = 0;
                await foreach (var item in minio.ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(bucket).WithRecursive(true), cancellationToken))
                {
                    keys.Add(item.Key);
                    bytes += (long)item.Size;
                    if (keys.Count >= MaxObjects)
                    {
                        break;
                    }
                }
                await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                    async (key, ct) => await minio.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(bucket).WithObject(key), ct));
                await minio.RemoveBucketAsync(new RemoveBucketArgs().WithBucket(bucket), cancellationToken);
                Console.Error.WriteLine($"bench: the archive held {keys.Count} objects ({bytes / 1024.0 / 1024.0:0.0} MB gzip NDJSON); removed them and the bucket {bucket} in {clock.Elapsed.TotalSeconds:0.0} s");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Console.Error.WriteLine($"bench: could not remove the bucket {bucket}: {e.Message}");
                rc = 1;
            }
        }
        return rc;
    }
}
