using System.Threading.Channels;

namespace Minuet.DataPlane.Sources;

/// <summary>
/// <c>--state-file PATH</c>: reads the file at start and again whenever it changes. A FileSystemWatcher on the
/// directory gives prompt updates (editors replace files by rename, so the directory is watched, not the file);
/// a cheap poll of size and mtime catches what watchers miss (network file systems, overflowed event buffers).
/// </summary>
public sealed class StateFileSource : IStateSource
{
    // Writers rarely replace a file in one step; a short settle time turns a burst of events into one read.
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(50);

    private readonly string _path;
    private readonly SnapshotPipeline _pipeline;
    private readonly TimeSpan _pollInterval;

    public StateFileSource(string path, SnapshotPipeline pipeline, TimeSpan? pollInterval = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
        _pipeline = pipeline;
        _pollInterval = pollInterval ?? TimeSpan.FromSeconds(1);
    }

    public string Origin => "file:" + _path;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var watcher = CreateWatcher(changes.Writer);
        using var poll = new PeriodicTimer(_pollInterval);
        var pollLoop = PollAsync(poll, changes.Writer, cancellationToken);

        (DateTime, long)? lastSeen = null;
        try
        {
            while (true)
            {
                var stamp = Stamp();
                if (stamp != lastSeen)
                {
                    lastSeen = stamp;
                    await ReadOnceAsync(cancellationToken).ConfigureAwait(false);
                }

                await changes.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(SettleTime, cancellationToken).ConfigureAwait(false);
                changes.Reader.TryRead(out _);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await pollLoop.ConfigureAwait(false);
        }
    }

    /// <summary>Reads and applies the file now; false when it could not be read or was rejected.</summary>
    public async Task<bool> ReadOnceAsync(CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(_path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _pipeline.ReportFetchError(Origin, ex.Message);
            return false;
        }

        return await _pipeline.ApplyDocumentAsync(bytes, Origin, cancellationToken).ConfigureAwait(false);
    }

    private (DateTime, long)? Stamp()
    {
        try
        {
            var info = new FileInfo(_path);
            return info.Exists ? (info.LastWriteTimeUtc, info.Length) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private FileSystemWatcher? CreateWatcher(ChannelWriter<bool> changes)
    {
        string? directory = Path.GetDirectoryName(_path);
        if (directory is null || !Directory.Exists(directory))
        {
            return null; // the poll still notices the file once it appears
        }

        try
        {
            var watcher = new FileSystemWatcher(directory, Path.GetFileName(_path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            };
            FileSystemEventHandler onChange = (_, _) => changes.TryWrite(true);
            watcher.Changed += onChange;
            watcher.Created += onChange;
            watcher.Renamed += (_, _) => changes.TryWrite(true);
            watcher.Error += (_, _) => changes.TryWrite(true);
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // inotify limits can refuse a watcher; polling alone still works.
            return null;
        }
    }

    private async Task PollAsync(PeriodicTimer timer, ChannelWriter<bool> changes, CancellationToken cancellationToken)
    {
        var last = Stamp();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = Stamp();
                if (now != last)
                {
                    last = now;
                    changes.TryWrite(true);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
