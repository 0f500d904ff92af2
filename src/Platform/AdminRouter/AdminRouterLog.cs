using Microsoft.Extensions.Logging;

namespace Minuet.Platform.AdminRouter;

/// <summary>Admin Router's log lines (event ids 7600-7699).</summary>
internal static partial class AdminRouterLog
{
    [LoggerMessage(EventId = 7600, Level = LogLevel.Information, Message = "admin router listening on {Listen} (auth {Auth})")]
    public static partial void Listening(ILogger logger, string listen, string auth);

    [LoggerMessage(EventId = 7601, Level = LogLevel.Warning, Message = "service cache: could not read {Source}; keeping the last good state")]
    public static partial void ServiceCacheReadFailed(ILogger logger, string source);

    [LoggerMessage(EventId = 7602, Level = LogLevel.Information, Message = "Marathon event stream {Marathon} lost ({Reason}); reconnecting")]
    public static partial void EventStreamLost(ILogger logger, Uri marathon, string reason);

    [LoggerMessage(EventId = 7603, Level = LogLevel.Warning, Message = "forwarding {Path} to {Upstream} failed: {Error}")]
    public static partial void ForwardFailed(ILogger logger, string path, string upstream, string error);

    [LoggerMessage(EventId = 7604, Level = LogLevel.Information, Message = "refused {Path}: {Reason}")]
    public static partial void Refused(ILogger logger, string path, string reason);
}
