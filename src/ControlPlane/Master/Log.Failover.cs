using Microsoft.Extensions.Logging;

namespace Minuet.ControlPlane.Master;

/// <summary>Log messages of framework failover (ids 5470-5479).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5470, Level = LogLevel.Warning, Message = "Framework {FrameworkId} removed: disconnected for longer than its failover_timeout of {Seconds} s; its tasks are killed")]
    public static partial void FrameworkFailoverExpired(ILogger logger, string frameworkId, double seconds);
}
