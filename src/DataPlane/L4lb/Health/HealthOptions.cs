namespace Minuet.DataPlane.L4lb.Health;

/// <summary>
/// Passive health settings (Minuteman's defaults): a connection with no reply within
/// <see cref="ConnectTimeout"/> is a failure; <see cref="FailureThreshold"/> failures in a row bench the
/// backend for <see cref="BenchPeriod"/>; a success resets the count. Latency is kept for <see cref="LatencyWindow"/>.
/// </summary>
internal sealed record HealthOptions
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromMilliseconds(400);

    public int FailureThreshold { get; init; } = 5;

    public TimeSpan BenchPeriod { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan LatencyWindow { get; init; } = TimeSpan.FromSeconds(60);

    public static HealthOptions Default { get; } = new();

    /// <summary>Every problem with the settings, each naming its option; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add("--connect-timeout-ms: must be positive");
        }

        if (FailureThreshold < 1)
        {
            errors.Add("--failure-threshold: must be at least 1");
        }

        if (BenchPeriod < TimeSpan.Zero)
        {
            errors.Add("--bench-seconds: must not be negative");
        }

        if (LatencyWindow <= TimeSpan.Zero)
        {
            errors.Add("latency window: must be positive");
        }

        return errors;
    }
}
