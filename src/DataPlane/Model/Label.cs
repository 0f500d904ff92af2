namespace Minuet.DataPlane.Model;

/// <summary>A Mesos label (<c>{"key":..,"value":..}</c>).</summary>
public sealed record Label(string Key, string Value);

/// <summary>An inclusive port range from a Mesos ranges string such as <c>[31000-31001, 31005-31005]</c>.</summary>
public sealed record PortRange(int Begin, int End);
