namespace Minuet.ControlPlane.Scheduler.Deployments;

/// <summary>Marathon's launch backoff (docs/docs/backoff.md): the k-th failure in a row waits backoffSeconds × factor^(k-1), capped.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(double backoffSeconds, double factor, double maxSeconds, int failures)
    {
        if (failures <= 0)
        {
            return TimeSpan.Zero;
        }

        double seconds = backoffSeconds * Math.Pow(factor, failures - 1);
        return TimeSpan.FromSeconds(double.IsFinite(seconds) ? Math.Min(seconds, maxSeconds) : maxSeconds);
    }
}
