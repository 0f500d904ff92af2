using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Scheduler.Validation;

/// <summary>
/// What this cluster allows, checked when an app comes through the API (not when a stored app is read back):
/// privileged containers only with the scheduler's <c>--allow-privileged</c>, fixed host ports only inside the port
/// ranges agents offer (all of 1-65535 while no agent is known).
/// </summary>
internal sealed record AppAdmission(bool AllowPrivileged, IReadOnlyList<PortRange> AgentPorts)
{
    /// <summary>Ports when no agent has offered any yet: every valid port, so nothing is refused for lack of knowledge.</summary>
    public static readonly IReadOnlyList<PortRange> AnyPort = [new PortRange(1, 65535)];

    public bool OffersPort(int port) => AgentPorts.Any(r => port >= r.Begin && port <= r.End);

    public string DescribePorts() => string.Join(",", AgentPorts.Select(r => r.Begin == r.End ? $"{r.Begin}" : $"{r.Begin}-{r.End}"));
}
