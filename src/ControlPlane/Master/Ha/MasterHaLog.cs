using Microsoft.Extensions.Logging;

namespace Minuet.ControlPlane.Master.Ha;

internal static partial class MasterHaLog
{
    [LoggerMessage(EventId = 5960, Level = LogLevel.Information, Message = "{Pid} leads: state rebuilt from the store ({Agents} agents, {Tasks} tasks); agents re-register")]
    public static partial void Leading(ILogger logger, string pid, int agents, int tasks);

    [LoggerMessage(EventId = 5961, Level = LogLevel.Warning, Message = "{Pid} stands by: no offers, no writes, no launches until elected again")]
    public static partial void StandingBy(ILogger logger, string pid);

    [LoggerMessage(EventId = 5962, Level = LogLevel.Error, Message = "elected, but the store could not be read ({Error}); giving the leadership back")]
    public static partial void TakeOverFailed(ILogger logger, string error);
}
