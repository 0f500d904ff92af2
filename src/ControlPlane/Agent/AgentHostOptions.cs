using System.Net;
using Minuet.ControlPlane.Agent.Configuration;
using Minuet.ControlPlane.Agent.Runtime;

namespace Minuet.ControlPlane.Agent;

/// <summary>Everything <c>minuet agent</c> is told on its command line, parsed and checked.</summary>
internal sealed record AgentHostOptions
{
    /// <summary>The master (the first of <see cref="Masters"/> when several are given).</summary>
    public required Uri Master { get; init; }

    /// <summary>Every master the leader is looked for among (<c>--master http://m1:5050,http://m2:5050</c>); empty = just <see cref="Master"/>.</summary>
    public IReadOnlyList<Uri> Masters { get; init; } = [];

    public required IPEndPoint Listen { get; init; }

    /// <summary>The IP registered with the master; null = the listen IP, or the local address that routes to the master.</summary>
    public string? AdvertiseIp { get; init; }

    public required AgentResources Resources { get; init; }

    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>Runtime settings; its Address is filled in from the advertised IP.</summary>
    public required AgentRuntimeOptions Runtime { get; init; }
}
