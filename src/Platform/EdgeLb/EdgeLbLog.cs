using Microsoft.Extensions.Logging;

namespace Minuet.Platform.EdgeLb;

/// <summary>The edge balancer's log lines (event ids 6400-6499).</summary>
internal static partial class EdgeLbLog
{
    [LoggerMessage(EventId = 6400, Level = LogLevel.Warning, Message = "app left out: {Rejection}")]
    public static partial void AppRejected(ILogger logger, string rejection);

    [LoggerMessage(EventId = 6401, Level = LogLevel.Warning, Message = "could not read {Marathon}: {Reason}; keeping the running configuration")]
    public static partial void MarathonUnreadable(ILogger logger, Uri marathon, string reason);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Information, Message = "reloaded HAProxy ({Services} services, {Servers} servers) in {Milliseconds} ms")]
    public static partial void Reloaded(ILogger logger, int services, int servers, long milliseconds);

    [LoggerMessage(EventId = 6403, Level = LogLevel.Error, Message = "HAProxy reload failed ({Reason}); the last good configuration keeps serving")]
    public static partial void ReloadFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6404, Level = LogLevel.Information, Message = "applied {Commands} server changes through the runtime API, no reload")]
    public static partial void RuntimeApplied(ILogger logger, int commands);

    [LoggerMessage(EventId = 6405, Level = LogLevel.Warning, Message = "runtime API change failed ({Reason}); reloading instead")]
    public static partial void RuntimeFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6406, Level = LogLevel.Error, Message = "haproxy -c rejected the configuration: {Output}")]
    public static partial void CheckFailed(ILogger logger, string output);

    [LoggerMessage(EventId = 6407, Level = LogLevel.Warning, Message = "app left out because HAProxy rejects its configuration: {App}")]
    public static partial void AppBreaksConfig(ILogger logger, string app);

    [LoggerMessage(EventId = 6408, Level = LogLevel.Information, Message = "Marathon event stream {Marathon} lost ({Reason}); reconnecting in {Seconds} s")]
    public static partial void EventStreamLost(ILogger logger, Uri marathon, string reason, double seconds);

    [LoggerMessage(EventId = 6409, Level = LogLevel.Debug, Message = "haproxy: {Line}")]
    public static partial void HaproxyOutput(ILogger logger, string line);

    [LoggerMessage(EventId = 6410, Level = LogLevel.Error, Message = "HAProxy master exited with code {Code}")]
    public static partial void HaproxyExited(ILogger logger, int code);

    [LoggerMessage(EventId = 6411, Level = LogLevel.Information, Message = "autoscale {App}: {Current} -> {Target} instances (average {Rate:F1} req/s over {Samples} samples)")]
    public static partial void Scaled(ILogger logger, string app, int current, int target, double rate, int samples);

    [LoggerMessage(EventId = 6412, Level = LogLevel.Warning, Message = "autoscale: {Reason}")]
    public static partial void AutoscaleProblem(ILogger logger, string reason);
}
