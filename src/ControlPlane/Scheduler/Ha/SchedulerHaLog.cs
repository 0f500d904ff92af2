using Microsoft.Extensions.Logging;

namespace Minuet.ControlPlane.Scheduler.Ha;

internal static partial class SchedulerHaLog
{
    [LoggerMessage(EventId = 5965, Level = LogLevel.Error, Message = "scheduler could not {Step}: {Error}")]
    public static partial void TransitionFailed(ILogger logger, string step, string error);
}
