using System.Diagnostics;

namespace Minuet.DataPlane.Dns.Server;

/// <summary>
/// Keeps every UDP worker serving. A crashed worker's SO_REUSEPORT socket stays bound, so the kernel would keep
/// handing it its share of the clients' flows and those queries would vanish: the worker is restarted on the same
/// socket (datagrams queued meanwhile are answered late, not lost). One that keeps crashing has its socket closed,
/// so the kernel spreads its flows over the others; the last live socket is never closed.
/// </summary>
internal sealed partial class DnsServer
{
    /// <summary>Crashes in a row after which a worker's socket is closed instead of restarting it again.</summary>
    internal const int MaxCrashesInARow = 5;

    /// <summary>A worker that ran this long before crashing starts a new count (a rare fault, not a broken worker).</summary>
    private static readonly TimeSpan StableRun = TimeSpan.FromSeconds(30);

    private int _liveUdpWorkers;

    /// <summary>Test hook: called with the worker id before each batch (or datagram) is answered; a throw crashes that worker.</summary>
    internal Action<int>? UdpFaultHook { get; set; }

    internal void LogUdpReceiveFailed(int worker, string error) => DnsServerLog.UdpReceiveFailed(_logger, worker, error);

    private async Task SuperviseUdpWorkerAsync(int id, UdpBatchWorker? batchWorker, CancellationToken stopping)
    {
        var socket = _udpSockets[id];
        int crashes = 0;
        while (true)
        {
            long started = Stopwatch.GetTimestamp();
            Exception? crash = null;
            try
            {
                await (batchWorker is not null ? batchWorker.Start() : Task.Run(() => ReceiveLoopAsync(socket, id, stopping), CancellationToken.None))
                    .ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Whatever killed the worker is logged and counted; the server keeps serving.
            catch (Exception e)
#pragma warning restore CA1031
            {
                crash = e;
            }

            if (crash is null || stopping.IsCancellationRequested)
            {
                return;
            }

            Metrics.RecordUdpWorkerCrash();
            crashes = Stopwatch.GetElapsedTime(started) > StableRun ? 1 : crashes + 1;
            if (crashes >= MaxCrashesInARow && TryRetire(out int remaining))
            {
                DnsServerLog.WorkerRetired(_logger, id, crashes, remaining, crash);
                socket.Dispose();
                return;
            }

            // Short at first so queued queries are barely delayed; growing so a worker that dies at once cannot spin.
            long delayMs = Math.Min(1000, 10L << Math.Min(crashes - 1, 7));
            DnsServerLog.WorkerCrashed(_logger, id, crashes, delayMs, crash);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(delayMs), stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private bool TryRetire(out int remaining)
    {
        while (true)
        {
            int live = Volatile.Read(ref _liveUdpWorkers);
            remaining = live - 1;
            if (live <= 1)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _liveUdpWorkers, live - 1, live) == live)
            {
                return true;
            }
        }
    }
}
