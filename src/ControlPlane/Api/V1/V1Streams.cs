using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Api.V1;

/// <summary>
/// The open v1 SUBSCRIBE streams: per framework, the <c>Mesos-Stream-Id</c> every other call must carry, and how the
/// stream renders updates. A new subscription replaces the old one (the old stream gets ERROR and ends).
/// </summary>
internal sealed class V1Streams
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, V1Stream> _byFramework = new(StringComparer.Ordinal);

    public V1Stream? Get(string frameworkId)
    {
        lock (_gate)
        {
            return _byFramework.GetValueOrDefault(frameworkId);
        }
    }

    /// <summary>Ends the framework's current stream, if any, with ERROR "Framework failed over" (Mesos's words).</summary>
    public void FailOver(string frameworkId)
    {
        lock (_gate)
        {
            if (_byFramework.Remove(frameworkId, out var old))
            {
                old.Connection.Send(new SchedulerEvent { Type = "ERROR", Message = "Framework failed over" });
                old.Connection.Close();
            }
        }
    }

    public void Add(V1Stream stream)
    {
        lock (_gate)
        {
            _byFramework[stream.Connection.FrameworkId] = stream;
        }
    }

    public void Remove(V1Stream stream)
    {
        lock (_gate)
        {
            if (_byFramework.TryGetValue(stream.Connection.FrameworkId, out var current) && ReferenceEquals(current, stream))
            {
                _byFramework.Remove(stream.Connection.FrameworkId);
            }
        }
    }
}

/// <summary>One v1 subscription: its stream id, the master's connection, and whether the framework is PARTITION_AWARE.</summary>
internal sealed record V1Stream(string StreamId, FrameworkConnection Connection, bool PartitionAware);
