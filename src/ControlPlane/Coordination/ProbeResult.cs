namespace Minuet.ControlPlane.Coordination;

/// <summary>What one TCP connect to the leader's advertised address said.</summary>
internal enum ProbeResult
{
    /// <summary>The connection was accepted: something listens there.</summary>
    Reached,

    /// <summary>Refused (RST): the host answered, and no process listens on that port.</summary>
    Refused,

    /// <summary>No answer in time, unreachable, or any other error: the host may be gone or cut off; only the lease can tell.</summary>
    NoAnswer,
}
