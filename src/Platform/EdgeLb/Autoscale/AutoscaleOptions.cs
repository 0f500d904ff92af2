namespace Minuet.Platform.EdgeLb.Autoscale;

/// <summary>marathon-lb-autoscale's options, with its defaults.</summary>
internal sealed record AutoscaleOptions
{
    /// <summary>Frontends to watch, <c>appid_serviceport</c> as edge-lb names them (e.g. <c>nginx_10000</c>).</summary>
    public required IReadOnlyList<string> Apps { get; init; }

    public double TargetRps { get; init; } = 1000;

    public int MinInstances { get; init; } = 1;

    public int MaxInstances { get; init; } = int.MaxValue;

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many interval sums are averaged, and how many intervals pass before any scaling.</summary>
    public int Samples { get; init; } = 10;

    /// <summary>Intervals to wait after a scale change, on top of <see cref="Samples"/> intervals.</summary>
    public int Cooldown { get; init; } = 5;

    public double ThresholdPercent { get; init; } = 0.5;

    public int ThresholdInstances { get; init; } = 3;

    public int IntervalsPastThreshold { get; init; } = 3;
}
