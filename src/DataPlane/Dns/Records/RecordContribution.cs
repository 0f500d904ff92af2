namespace Minuet.DataPlane.Dns.Records;

/// <summary>One record a source (a task, the agents, the VIPs) adds to a name: an IP address or an <see cref="SrvValue"/>.</summary>
internal readonly record struct RecordContribution(string Name, object Value, int Ttl);
