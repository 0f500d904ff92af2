namespace Minuet.ControlPlane.Scheduler.Apps;

/// <summary>A host-networking port: <c>port</c> is the service port (0 = assign one), protocol <c>tcp</c>, <c>udp</c> or <c>udp,tcp</c>.</summary>
internal sealed record PortDefinition(int Port, string Protocol, string? Name, IReadOnlyDictionary<string, string> Labels);

/// <summary>A container port mapping: <c>hostPort</c> null = no host port, 0 = any host port from the offer.</summary>
internal sealed record PortMappingSpec(int ContainerPort, int? HostPort, int ServicePort, string Protocol, string? Name, IReadOnlyDictionary<string, string> Labels);

/// <summary>A task port in either networking mode: which host port it needs (null none, 0 any) and what discovery shows.</summary>
internal sealed record AppPort(string? Name, string Protocol, IReadOnlyDictionary<string, string> Labels, int? ContainerPort, int? HostPort, int ServicePort);
