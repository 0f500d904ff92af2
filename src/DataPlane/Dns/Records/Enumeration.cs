namespace Minuet.DataPlane.Dns.Records;

/// <summary>Mesos-DNS <c>/v1/enumerate</c>: every framework with its running tasks and the records each task produced.</summary>
public sealed record EnumerationData(IReadOnlyList<EnumerableFramework> Frameworks);

/// <summary>One framework in <see cref="EnumerationData"/> (its raw name, as Mesos-DNS reports it).</summary>
public sealed record EnumerableFramework(string Name, IReadOnlyList<EnumerableTask> Tasks);

/// <summary>One task and the records it added (names with a trailing dot, SRV hosts as <c>target.:port</c>).</summary>
public sealed record EnumerableTask(string Name, string Id, IReadOnlyList<EnumerableRecord> Records);

/// <summary>One record as Mesos-DNS enumerates it: owner name, value and type (<c>A</c>, <c>AAAA</c>, <c>SRV</c>).</summary>
public sealed record EnumerableRecord(string Name, string Host, string Rtype);
