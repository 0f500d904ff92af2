namespace Minuet.ControlPlane.Scheduler.Ha;

/// <summary>Fire-and-forget for transitions started from the election's callbacks (they log their own failures).</summary>
internal static class TaskForgetExtensions
{
    public static void Forget(this Task task) => task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
}
