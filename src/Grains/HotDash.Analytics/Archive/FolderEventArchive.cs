using System.Runtime.CompilerServices;

namespace HotDash.Analytics.Archive;

/// <summary>
/// The embedded archive: one file per object under <paramref name="root"/>, the key's <c>/</c> segments as folders.
/// A write goes to a temporary file in the target folder and is renamed over the target, so a reader (or a crash)
/// never sees half an object.
/// </summary>
/// <param name="root">The folder objects live under (created by <see cref="EnsureAsync"/>).</param>
public sealed class FolderEventArchive(string root) : IEventArchive
{
    private const string TempSuffix = ".tmp";

    private readonly string _root = Path.GetFullPath(root ?? throw new ArgumentNullException(nameof(root)));

    /// <summary>The folder objects live under (absolute).</summary>
    public string Root => _root;

    /// <inheritdoc />
    public string Kind => "folder";

    /// <inheritdoc />
    public string KeyFor(string projectId, DateTimeOffset at, string batchId) =>
        EventArchiveKeys.For("", projectId, at, batchId);

    /// <inheritdoc />
    public async Task PutAsync(string key, ReadOnlyMemory<byte> gzipNdjson, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}{TempSuffix}";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await file.WriteAsync(gzipNdjson, cancellationToken).ConfigureAwait(false);
                // On disk before the rename makes it visible: a crash leaves the old object or the whole new one.
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        // Start at the deepest folder the prefix names; the rest of the prefix filters names below it.
        var slash = prefix.LastIndexOf('/');
        var folder = slash < 0 ? _root : Path.Combine(_root, Relative(prefix[..slash]));
        if (!Directory.Exists(folder))
        {
            yield break;
        }
        var keys = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.EndsWith(TempSuffix, StringComparison.Ordinal))
            {
                continue;
            }
            var key = Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                keys.Add(key);
            }
        }
        keys.Sort(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            yield return key;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task EnsureAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(_root);
        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Path.Combine(_root, Relative(key));
    }

    // Keys come from project ids; refuse anything that could leave the root or collide with a temporary file.
    private static string Relative(string key)
    {
        var segments = key.Split('/');
        foreach (var segment in segments)
        {
            if (segment.Length == 0 || segment is "." or ".." || segment.Contains('\\') || segment.Contains('\0')
                || segment.EndsWith(TempSuffix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{key}' is not a valid archive key (empty, '.' or '..' segments, backslashes and '{TempSuffix}' names are refused)", nameof(key));
            }
        }
        return Path.Combine(segments);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
