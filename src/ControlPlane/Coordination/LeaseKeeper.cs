using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Minuet.ControlPlane.Coordination;

/// <summary>
/// Renews a leader's lease from a dedicated thread, with blocking socket calls to etcd's JSON gateway
/// (<c>POST /v3/lease/keepalive</c>). A leader busy enough to exhaust the thread pool (100,000 tasks being launched,
/// store writes blocking pool threads) used to lose its term because the gRPC keepalive's continuations waited for a
/// pool thread past the lease: nothing here needs one (no timers, no async I/O, socket timeouts instead of
/// cancellation), so a loaded leader keeps its lease as long as etcd answers. Every interval it sends one keepalive,
/// trying the next member after a timeout or a refusal while the lease is surely still valid.
/// </summary>
internal sealed class LeaseKeeper : IDisposable
{
    private readonly IReadOnlyList<Uri> _endpoints;
    private readonly long _leaseId;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _callTimeout;
    private readonly Func<bool> _paused;
    private readonly Func<long> _validUntil;
    private readonly Action<long, long> _renewed;
    private readonly ManualResetEventSlim _stop = new();
    private readonly TaskCompletionSource<string> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _member;

    /// <param name="endpoints">etcd members (http://host:port).</param>
    /// <param name="leaseId">The lease to keep.</param>
    /// <param name="interval">Time between keepalives (TTL/3).</param>
    /// <param name="callTimeout">One call's limit (connect, send, receive each).</param>
    /// <param name="paused">Test hook: true skips sending (a process frozen by SIGSTOP).</param>
    /// <param name="validUntil">Stopwatch timestamp up to which the lease is surely valid.</param>
    /// <param name="renewed">Called with a keepalive's send timestamp and the TTL etcd granted.</param>
    public LeaseKeeper(IReadOnlyList<Uri> endpoints, long leaseId, TimeSpan interval, TimeSpan callTimeout, Func<bool> paused, Func<long> validUntil, Action<long, long> renewed)
    {
        _endpoints = endpoints;
        _leaseId = leaseId;
        _interval = interval;
        _callTimeout = callTimeout;
        _paused = paused;
        _validUntil = validUntil;
        _renewed = renewed;
    }

    /// <summary>Completes with the reason once the lease is lost (expired, or not renewed in time); never fails.</summary>
    public Task<string> Lost => _lost.Task;

    public void Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "minuet-lease-keepalive", Priority = ThreadPriority.AboveNormal };
        thread.Start();
    }

    /// <summary>Stops the thread at its next wait (a call in flight finishes within its timeout).</summary>
    public void Dispose()
    {
        _stop.Set();
        _lost.TrySetResult("stopped");
    }

    /// <summary>
    /// The TTL in a keepalive answer (<c>{"result":{...,"ID":"1","TTL":"5"}}</c>): 0 when the lease is gone (etcd
    /// leaves the field out then), null when the text is not a keepalive answer (an error, a cut-off body).
    /// </summary>
    internal static long? ParseTtl(string response)
    {
        int result = response.IndexOf("\"result\"", StringComparison.Ordinal);
        if (result < 0 || response.IndexOf("\"ID\"", result, StringComparison.Ordinal) < 0)
        {
            return null;
        }

        int ttl = response.IndexOf("\"TTL\":", result, StringComparison.Ordinal);
        if (ttl < 0)
        {
            return 0;
        }

        int start = ttl + "\"TTL\":".Length;
        while (start < response.Length && (response[start] == '"' || response[start] == ' '))
        {
            start++;
        }

        int end = start;
        while (end < response.Length && (char.IsAsciiDigit(response[end]) || (end == start && response[end] == '-')))
        {
            end++;
        }

        return long.TryParse(response.AsSpan(start, end - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : null;
    }

    /// <summary>The HTTP request for one keepalive of <paramref name="leaseId"/> on <paramref name="member"/>.</summary>
    internal static byte[] Request(Uri member, long leaseId)
    {
        string body = "{\"ID\":\"" + leaseId.ToString(CultureInfo.InvariantCulture) + "\"}";
        return Encoding.ASCII.GetBytes(
            "POST /v3/lease/keepalive HTTP/1.1\r\nHost: " + member.Authority + "\r\nContent-Type: application/json\r\nContent-Length: " +
            body.Length.ToString(CultureInfo.InvariantCulture) + "\r\nConnection: close\r\n\r\n" + body);
    }

    private void Run()
    {
        var wait = _interval;
        while (!_stop.Wait(wait))
        {
            long started = Stopwatch.GetTimestamp();
            if (_paused())
            {
                wait = _interval;
                continue;
            }

            if (RenewOnAnyMember() is { } lost)
            {
                _lost.TrySetResult(lost);
                return;
            }

            // Keepalives go out every interval from the last one's start: a slow renewal (a stopped member costs a
            // timeout and a retry) must not push the next keepalive past the lease.
            var spent = Stopwatch.GetElapsedTime(started);
            wait = spent < _interval ? _interval - spent : TimeSpan.Zero;
        }
    }

    /// <summary>One keepalive, on the next member after a failure while the lease is surely valid; the reason it is lost, or null.</summary>
    private string? RenewOnAnyMember()
    {
        while (!_stop.IsSet)
        {
            var member = _endpoints[_member % _endpoints.Count];
            long sent = Stopwatch.GetTimestamp();
            if (Call(member) is { } ttl)
            {
                if (ttl <= 0)
                {
                    return "the lease expired";
                }

                _renewed(sent, ttl);
                return null;
            }

            _member++;
            if (Stopwatch.GetTimestamp() >= _validUntil())
            {
                return "keepalive not answered in time";
            }
        }

        return null;
    }

    /// <summary>The TTL etcd answered, or null when the member did not answer a keepalive in time.</summary>
    private long? Call(Uri member)
    {
        try
        {
            var address = IPAddress.TryParse(member.Host.Trim('[', ']'), out var ip)
                ? ip
                : Dns.GetHostAddresses(member.Host).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            {
                NoDelay = true,
                SendTimeout = (int)_callTimeout.TotalMilliseconds,
                ReceiveTimeout = (int)_callTimeout.TotalMilliseconds,
            };
            if (!Connect(socket, address, member.Port))
            {
                return null;
            }

            socket.Send(Request(member, _leaseId));
            var answer = new StringBuilder();
            var buffer = new byte[4096];
            long deadline = Stopwatch.GetTimestamp() + (long)(_callTimeout.TotalSeconds * Stopwatch.Frequency);
            int read;
            while ((read = socket.Receive(buffer)) > 0)
            {
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    return null;
                }
            }

            return ParseTtl(answer.ToString());
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException)
        {
            // Refused, reset, timed out, or a name that does not resolve: the next member is tried.
            return null;
        }
    }

    /// <summary>Connects within the call timeout (a blocking connect to an unreachable host waits for minutes).</summary>
    private bool Connect(Socket socket, IPAddress address, int port)
    {
        socket.Blocking = false;
        try
        {
            socket.Connect(address, port);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            if (!socket.Poll((int)(_callTimeout.TotalMilliseconds * 1000), SelectMode.SelectWrite) ||
                (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)! != 0)
            {
                return false;
            }
        }

        socket.Blocking = true;
        return true;
    }
}
