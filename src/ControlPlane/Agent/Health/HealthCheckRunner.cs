using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Health;

/// <summary>
/// Runs one task's check: waits <c>delay_seconds</c>, then probes every <c>interval_seconds</c> with a
/// <c>timeout_seconds</c> limit, feeds results to a <see cref="HealthTracker"/> and reports verdict changes.
/// </summary>
internal static class HealthCheckRunner
{
    public static async Task RunAsync(
        HealthCheck check,
        IHealthProbe probe,
        HealthTracker tracker,
        Func<HealthVerdict, string?, Task> onVerdict,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        try
        {
            if (check.DelaySeconds > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(check.DelaySeconds), time, cancellationToken).ConfigureAwait(false);
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                ProbeResult result;
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    timeout.CancelAfter(TimeSpan.FromSeconds(check.TimeoutSeconds));
                    result = await probe.ProbeAsync(timeout.Token).ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
                var verdict = tracker.OnResult(result.Passed, time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
                if (verdict.Changed || verdict.Kill)
                {
                    await onVerdict(verdict, result.Cause).ConfigureAwait(false);
                }

                if (verdict.Kill)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(check.IntervalSeconds), time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The task ended or the agent is stopping.
        }
    }
}
