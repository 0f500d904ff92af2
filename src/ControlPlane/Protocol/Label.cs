namespace Minuet.ControlPlane.Protocol;

/// <summary>A Mesos label (<c>{"key":..,"value":..}</c>).</summary>
internal sealed record Label(string Key, string Value);
