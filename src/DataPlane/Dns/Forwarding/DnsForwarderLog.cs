using System.Net;
using Microsoft.Extensions.Logging;

namespace Minuet.DataPlane.Dns.Forwarding;

internal static partial class DnsForwarderLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Upstream {Upstream} failed over {Transport}: {Reason}")]
    public static partial void UpstreamFailed(ILogger logger, IPEndPoint upstream, string transport, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "All {Count} upstream resolvers failed; answering SERVFAIL")]
    public static partial void AllUpstreamsFailed(ILogger logger, int count);
}
