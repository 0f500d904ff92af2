namespace Minuet.ControlPlane.Scheduler.Health;

/// <summary>Health check or readiness check.</summary>
internal enum ProbeKind
{
    Health,
    Readiness,
}

/// <summary>One probe the scheduler runs outside its lock: HTTP GET <c>path</c> or a TCP connect to address:port.</summary>
internal sealed record ProbeRequest(string TaskId, ProbeKind Kind, int Index, string Protocol, string Address, int Port, string Path, TimeSpan Timeout);

/// <summary>What a probe saw: connected (TCP) or the HTTP status (null when no answer), with a cause on failure.</summary>
internal sealed record ProbeOutcome(bool Connected, int? Status, string? Body, string? Cause)
{
    public static ProbeOutcome Failed(string cause) => new(false, null, null, cause);
}
