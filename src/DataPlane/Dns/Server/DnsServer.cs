using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Minuet.DataPlane.Dns.Answers;
using Minuet.DataPlane.Dns.Forwarding;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Dns.Server;

/// <summary>
/// The data plane's DNS server: authoritative answers for the Mesos domain and <c>thisdcos.directory</c> from
/// precompiled responses, forwarding for everything else, over UDP (one SO_REUSEPORT socket per worker) and TCP.
/// Recompiles its answers whenever the <see cref="SnapshotStore"/> publishes, swapping them in with one reference write.
/// </summary>
internal sealed partial class DnsServer : IAsyncDisposable
{
    private readonly DnsServerOptions _options;
    private readonly SnapshotStore _store;
    private readonly ILogger _logger;
    private readonly DnsForwarder _forwarder;
    private readonly List<Task> _loops = [];
    private readonly List<Socket> _udpSockets = [];
    private readonly List<UdpBatchWorker> _batchWorkers = [];
    private readonly Lock _compileLock = new();
    private readonly DnsAnswerUpdater _answers = new();
    private CancellationTokenSource? _stopping;
    private Socket? _tcpListener;
    private DnsAnswerIndex _index;
    private int _tcpConnections;
    private int _pendingForwards;
    private bool _started;

    public DnsServer(DnsServerOptions options, SnapshotStore store, ILoggerFactory loggerFactory, DnsMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(metrics);
        _options = options;
        _store = store;
        _logger = loggerFactory.CreateLogger<DnsServer>();
        Metrics = metrics;
        var upstreams = options.Upstreams ?? ResolvConf.ReadUpstreams(ResolvConf.DefaultPath, options.UdpListen);
        _forwarder = new DnsForwarder(upstreams, options.UpstreamTimeout, loggerFactory.CreateLogger<DnsForwarder>());
        _index = DnsAnswerCompiler.Compile(DnsRecordSet.Empty(PlaceholderZone(options.Domain)), ready: false);
        _store.Published += OnPublished;
        if (_store.Current is { } current)
        {
            OnPublished(current);
        }
    }

    public DnsMetrics Metrics { get; }

    /// <summary>The bound UDP endpoint (the real port after binding port 0); null before start.</summary>
    public IPEndPoint? UdpEndPoint { get; private set; }

    /// <summary>The bound TCP endpoint; null before start.</summary>
    public IPEndPoint? TcpEndPoint { get; private set; }

    /// <summary>Upstream resolvers in use.</summary>
    public IReadOnlyList<IPEndPoint> Upstreams => _forwarder.Upstreams;

    /// <summary>Forwarder failures (each failed upstream attempt counts once).</summary>
    public long ForwarderErrors => _forwarder.Errors;

    internal DnsAnswerIndex Index => Volatile.Read(ref _index);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_started)
        {
            throw new InvalidOperationException("The DNS server is already started.");
        }

        _started = true;
        _stopping = new CancellationTokenSource();
        BindUdpAndTcp();
        string mode = StartUdpWorkers();
        _loops.Add(AcceptLoopAsync(_tcpListener!, _stopping.Token));
        DnsServerLog.Listening(
            _logger, UdpEndPoint!, _udpSockets.Count, mode, TcpEndPoint!,
            _options.Forwarding ? string.Join(", ", _forwarder.Upstreams) : "nothing (forwarding off)");
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null || _stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _tcpListener?.Dispose();
        foreach (var worker in _batchWorkers)
        {
            worker.Stop();
        }

        // Receive loops end on the cancellation (batch workers within their 200 ms receive timeout). Disposing a
        // socket under an in-flight SendToAsync races inside the runtime (NullReferenceException in
        // DoOperationSendTo, seen under the fuzz flood), so let the loops finish first; bounded, then dispose anyway.
        await Task.WhenAny(Task.WhenAll(_loops), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        foreach (var socket in _udpSockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_loops).WaitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var worker in _batchWorkers)
        {
            worker.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _store.Published -= OnPublished;
        try
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _stopping?.Dispose();
        }
    }

    private static DnsZoneInfo PlaceholderZone(string domain)
    {
        string apex = domain.TrimEnd('.').ToLowerInvariant();
        return new DnsZoneInfo
        {
            Domain = apex,
            AuthoritativeZones = [apex, "thisdcos.directory"],
            SoaMname = "ns1." + apex,
            SoaRname = "root.ns1." + apex,
        };
    }

    private void OnPublished(DataPlaneSnapshot snapshot)
    {
        // Compiles run on the publishing thread; the lock only orders concurrent publishers, readers never take it.
        lock (_compileLock)
        {
            try
            {
                long start = Stopwatch.GetTimestamp();
                var index = _answers.Update(snapshot.Records, snapshot.RecordDelta);
                Volatile.Write(ref _index, index);
                long elapsedMs = (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                DnsServerLog.Compiled(_logger, index.Names.Count, elapsedMs, index.SkippedNames);
            }
#pragma warning disable CA1031 // A bad snapshot must not take the server down; the previous answers stay.
            catch (Exception e)
#pragma warning restore CA1031
            {
                DnsServerLog.CompileFailed(_logger, e);
            }
        }
    }

    // With port 0 the kernel picks a free UDP port, but the same TCP port may be taken (for example by an
    // outgoing connection's ephemeral port): then pick again, a bounded number of times.
    private void BindUdpAndTcp()
    {
        for (int attempt = 0; ; attempt++)
        {
            BindUdp();
            try
            {
                BindTcp();
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse
                && _options.UdpListen.Port == 0 && _options.TcpListen is null && attempt < 20)
            {
                foreach (var socket in _udpSockets)
                {
                    socket.Dispose();
                }

                _udpSockets.Clear();
                UdpEndPoint = null;
            }
        }
    }

    private void BindUdp()
    {
        var listen = _options.UdpListen;
        int workers = Math.Max(1, _options.Workers);
        for (int i = 0; i < workers; i++)
        {
            var socket = new Socket(listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                // Every worker binds the same port; the kernel spreads datagrams over the sockets by flow hash.
                SetReusePort(socket);
                if (listen.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = true;
                }

                socket.ReceiveBufferSize = 4 * 1024 * 1024;
                socket.SendBufferSize = 4 * 1024 * 1024;
                socket.Bind(i == 0 ? listen : UdpEndPoint!);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            UdpEndPoint ??= (IPEndPoint)socket.LocalEndPoint!;
            _udpSockets.Add(socket);
        }
    }

    private void BindTcp()
    {
        var listen = _options.TcpListen ?? new IPEndPoint(_options.UdpListen.Address, UdpEndPoint!.Port);
        var socket = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.NoDelay = true;
            socket.Bind(listen);
            socket.Listen(1024);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _tcpListener = socket;
        TcpEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    private static void SetReusePort(Socket socket)
    {
        if (OperatingSystem.IsLinux())
        {
            const int SolSocket = 1;
            const int SoReusePort = 15;
            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
        }
    }
}
