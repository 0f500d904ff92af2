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

    [LoggerMessage(EventId = 5955, Level = LogLevel.Warning, Message = "{Key}: the leader process at {Address} is dead ({Why}): removed its key (create revision {Revision}, lease {Lease}) without waiting for the lease")]
    public static partial void TookOver(ILogger logger, string key, string address, string why, long revision, long lease);

    [LoggerMessage(EventId = 5956, Level = LogLevel.Information, Message = "{Key}: the dead leader's key (create revision {Revision}) was already gone or replaced; nothing removed")]
    public static partial void TakeoverMoot(ILogger logger, string key, long revision);

    [LoggerMessage(EventId = 5957, Level = LogLevel.Warning, Message = "{Key}: could not remove a dead leader's key ({Error}); its lease will")]
    public static partial void TakeoverFailed(ILogger logger, string key, string error);
}
