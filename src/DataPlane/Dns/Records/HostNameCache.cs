using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Minuet.DataPlane.Dns.Records;

/// <summary>
/// Turns scheduler and agent pid hosts that are names rather than IPs (and a framework's <c>hostname</c> when it has
/// no pid) into addresses for the record builder, as Mesos-DNS's <c>hostToIPs</c> does: every address the system
/// resolver gives. Mesos-DNS looks each name up again on every reload and blocks while it does. Here a name is looked
/// up once, the build waiting for it only briefly (within a shared budget, so a dead resolver cannot stall snapshots;
/// a late answer serves the next build), refreshed in the background after <c>refresh</c> while the old addresses
/// keep being served, and forgotten when no build has asked for it for a while. Lookups run on a few dedicated
/// threads (getaddrinfo blocks), never on the thread pool a waiting build may be holding.
/// </summary>
public sealed class HostNameCache
{
    public static readonly TimeSpan DefaultFirstWait = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromSeconds(60);

    /// <summary>At most this much waiting for first lookups per <see cref="WaitBudgetWindow"/>, across all names.</summary>
    private static readonly TimeSpan WaitBudget = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan WaitBudgetWindow = TimeSpan.FromSeconds(60);

    /// <summary>A name that failed to resolve (timeout, resolver down) is asked again after this long.</summary>
    private static readonly TimeSpan RetryFailed = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(10);
    private const int MaxLookupThreads = 4;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<(string Host, Entry Entry)> _queue = new();
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _lookup;
    private readonly TimeProvider _time;
    private readonly TimeSpan _firstWait;
    private readonly TimeSpan _refresh;
    private readonly Lock _budgetGate = new();
    private TimeSpan _budgetLeft = WaitBudget;
    private long _budgetSince;
    private long _lastSweep;
    private int _lookups;
    private int _threads;

    /// <param name="lookup">Name to addresses; the default is the system resolver (getaddrinfo, so /etc/hosts too).</param>
    public HostNameCache(
        Func<string, CancellationToken, Task<IPAddress[]>>? lookup = null, TimeProvider? time = null, TimeSpan? firstWait = null, TimeSpan? refresh = null)
    {
        _lookup = lookup ?? ((host, _) => Task.FromResult(System.Net.Dns.GetHostAddresses(host)));
        _time = time ?? TimeProvider.System;
        _firstWait = firstWait ?? DefaultFirstWait;
        _refresh = refresh ?? DefaultRefresh;
        _lastSweep = _budgetSince = _time.GetTimestamp();
    }

    /// <summary>Lookups started so far (for tests and diagnostics).</summary>
    public int Lookups => Volatile.Read(ref _lookups);

    /// <summary>The addresses known for <paramref name="host"/> now; waits briefly only the first time a name is met.</summary>
    public IReadOnlyList<IPAddress> Resolve(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        long now = _time.GetTimestamp();
        var entry = _entries.GetOrAdd(host, static _ => new Entry());
        Task? first = null;
        lock (entry)
        {
            entry.LastUsed = now;
            if (!entry.Pending && (!entry.Resolved || _time.GetElapsedTime(entry.ResolvedAt, now) >= (entry.Failed ? RetryFailed : _refresh)))
            {
                entry.Pending = true;
                Enqueue(host, entry);
            }

            if (!entry.Waited)
            {
                entry.Waited = true;
                first = entry.FirstDone.Task;
            }
        }

        if (first is not null)
        {
            WaitWithinBudget(first);
        }

        Sweep(now);
        return entry.Addresses;
    }

    private void WaitWithinBudget(Task done)
    {
        TimeSpan allowed;
        lock (_budgetGate)
        {
            long now = _time.GetTimestamp();
            if (_time.GetElapsedTime(_budgetSince, now) >= WaitBudgetWindow)
            {
                _budgetSince = now;
                _budgetLeft = WaitBudget;
            }

            allowed = _firstWait < _budgetLeft ? _firstWait : _budgetLeft;
        }

        if (allowed <= TimeSpan.Zero)
        {
            return;
        }

        long started = Environment.TickCount64;
        done.Wait(allowed);
        var waited = TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
        lock (_budgetGate)
        {
            _budgetLeft -= waited;
        }
    }

    private void Enqueue(string host, Entry entry)
    {
        Interlocked.Increment(ref _lookups);
        _queue.Enqueue((host, entry));
        if (TryClaimThread())
        {
            new Thread(DrainQueue) { IsBackground = true, Name = "dns-hostname-lookup" }.Start();
        }
    }

    private void DrainQueue()
    {
        do
        {
            while (_queue.TryDequeue(out var item))
            {
                Lookup(item.Host, item.Entry);
            }

            Interlocked.Decrement(ref _threads);
        }
        // An item enqueued after the last TryDequeue may have seen this thread still counted and started none.
        while (!_queue.IsEmpty && TryClaimThread());
    }

    private bool TryClaimThread()
    {
        while (true)
        {
            int threads = Volatile.Read(ref _threads);
            if (threads >= MaxLookupThreads)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _threads, threads + 1, threads) == threads)
            {
                return true;
            }
        }
    }

    private void Lookup(string host, Entry entry)
    {
        IPAddress[]? addresses = null;
        bool failed = false;
        try
        {
            using var timeout = new CancellationTokenSource(LookupTimeout);
            var task = _lookup(host, timeout.Token);
            failed = !task.Wait(LookupTimeout);
            addresses = failed ? null : task.Result;
        }
        catch (Exception e) when (Unwrap(e) is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData })
        {
            addresses = []; // the name is gone: so are its records, as in Mesos-DNS
        }
#pragma warning disable CA1031 // Any other failure (timeout, resolver down) keeps what was known and retries soon.
        catch (Exception)
#pragma warning restore CA1031
        {
            failed = true;
        }

        lock (entry)
        {
            if (addresses is not null)
            {
                entry.Addresses = [.. addresses.Distinct()];
            }

            entry.Failed = failed;
            entry.Resolved = true;
            entry.ResolvedAt = _time.GetTimestamp();
            entry.Pending = false;
        }

        entry.FirstDone.TrySetResult();
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerException: { } inner } ? inner : e;

    private void Sweep(long now)
    {
        long last = Volatile.Read(ref _lastSweep);
        if (_time.GetElapsedTime(last, now) < ForgetAfter || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (host, entry) in _entries)
        {
            if (_time.GetElapsedTime(entry.LastUsed, now) >= ForgetAfter)
            {
                _entries.TryRemove(host, out _);
            }
        }
    }

    private sealed class Entry
    {
        // Completed (synchronously, no continuation on the pool) when the first lookup ends; waiting on it needs no pool thread.
        public readonly TaskCompletionSource FirstDone = new();
        public IPAddress[] Addresses = [];
        public bool Resolved;
        public bool Failed;
        public bool Pending;
        public bool Waited;
        public long ResolvedAt;
        public long LastUsed;
    }
}
