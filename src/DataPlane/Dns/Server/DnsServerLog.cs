using System.Net;
using Microsoft.Extensions.Logging;

namespace Minuet.DataPlane.Dns.Server;

internal static partial class DnsServerLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "DNS listening on udp {Udp} ({Workers} workers, {Mode}) and tcp {Tcp}; forwarding to {Upstreams}")]
    public static partial void Listening(ILogger logger, EndPoint udp, int workers, string mode, EndPoint tcp, string upstreams);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "DNS answers compiled: {Names} names in {Milliseconds} ms ({Skipped} names skipped as invalid)")]
    public static partial void Compiled(ILogger logger, int names, long milliseconds, int skipped);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "DNS answer compile failed; keeping the previous answers")]
    public static partial void CompileFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "UDP worker {Worker} receive failed: {Error}")]
    public static partial void UdpReceiveFailed(ILogger logger, int worker, string error);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "TCP connection from {Remote} rejected: {Open} connections open (cap {Cap})")]
    public static partial void TcpRejected(ILogger logger, EndPoint? remote, int open, int cap);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug, Message = "TCP connection from {Remote} closed: {Reason}")]
    public static partial void TcpClosed(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Batched UDP (recvmmsg) unavailable ({Error}); using the socket loop")]
    public static partial void BatchedUdpUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Error, Message = "DNS UDP worker {Worker} crashed ({Crashes} in a row); restarting it on its socket in {DelayMs} ms")]
    public static partial void WorkerCrashed(ILogger logger, int worker, int crashes, long delayMs, Exception exception);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Error, Message = "DNS UDP worker {Worker} crashed {Crashes} times in a row; its socket is closed so the kernel spreads its share over the {Remaining} other workers")]
    public static partial void WorkerRetired(ILogger logger, int worker, int crashes, int remaining, Exception exception);
}
