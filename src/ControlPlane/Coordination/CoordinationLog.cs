using Microsoft.Extensions.Logging;

namespace Minuet.ControlPlane.Coordination;

internal static partial class CoordinationLog
{
    [LoggerMessage(EventId = 5950, Level = LogLevel.Information, Message = "{Key}: elected leader (create revision {Revision}, lease TTL {Ttl} s)")]
    public static partial void Elected(ILogger logger, string key, long revision, long ttl);

    [LoggerMessage(EventId = 5951, Level = LogLevel.Warning, Message = "{Key}: no longer leader: {Reason}")]
    public static partial void Deposed(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 5952, Level = LogLevel.Information, Message = "{Key}: leader is now {Leader}")]
    public static partial void LeaderSeen(ILogger logger, string key, string leader);

    [LoggerMessage(EventId = 5953, Level = LogLevel.Warning, Message = "{Key}: etcd unavailable: {Error}")]
    public static partial void EtcdUnavailable(ILogger logger, string key, string error);

    [LoggerMessage(EventId = 5954, Level = LogLevel.Information, Message = "{Key}: resigned (lease revoked)")]
    public static partial void Resigned(ILogger logger, string key);
}
