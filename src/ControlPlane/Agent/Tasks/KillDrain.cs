using System.Globalization;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Tasks;

/// <summary>
/// The task label <c>MINUET_DRAIN_SECONDS</c>: how long a killed task keeps running in TASK_KILLING before its SIGTERM.
/// Mesos and Marathon send TASK_KILLING and SIGTERM at the same moment (the kill policy's grace period only spaces SIGTERM
/// from SIGKILL), so a load balancer that drops the task on TASK_KILLING races its exit; this is the Kubernetes
/// <c>preStop: sleep</c> answer, asked for per app (Marathon copies app labels onto its tasks). The SIGKILL deadline moves
/// out by the same amount, so the task still gets its whole grace period after SIGTERM.
/// </summary>
internal static class KillDrain
{
    public const string Label = "MINUET_DRAIN_SECONDS";

    /// <summary>A drain longer than this is almost certainly a typo (milliseconds?) and would stall scale-downs.</summary>
    public const double MaxSeconds = 300;

    /// <summary>The drain in seconds (0 without the label), or an error naming the label and why its value is refused.</summary>
    public static (double Seconds, string? Error) Of(IReadOnlyList<Label> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var label = labels.LastOrDefault(l => string.Equals(l.Key, Label, StringComparison.Ordinal));
        if (label is null)
        {
            return (0, null);
        }

        if (!double.TryParse(label.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !double.IsFinite(seconds))
        {
            return (0, $"{Label}: '{label.Value}' is not a number of seconds; the task is killed without draining");
        }

        if (seconds is < 0 or > MaxSeconds)
        {
            return (0, $"{Label}: {label.Value} is outside 0-{MaxSeconds.ToString(CultureInfo.InvariantCulture)} s; the task is killed without draining");
        }

        return (seconds, null);
    }
}
