namespace Minuet.DataPlane.L4lb;

/// <summary>The balancer's command-line options as typed (null when absent), before validation.</summary>
internal sealed record L4lbArguments
{
    public string? VipRange { get; init; }

    /// <summary><c>A:B</c> (queues A to B, one worker each) or <c>A</c> (one queue).</summary>
    public string? QueueBalance { get; init; }

    public string? Policy { get; init; }

    public bool FailOpen { get; init; }

    /// <summary>False keeps queue workers at normal priority (<c>--no-realtime-workers</c>).</summary>
    public bool RealTimeQueueWorkers { get; init; } = true;

    public string? ConnectTimeoutMs { get; init; }

    public string? FailureThreshold { get; init; }

    public string? BenchSeconds { get; init; }

    public string? IpsetName { get; init; }

    public string? ReconcileSeconds { get; init; }
}
