namespace Minuet.ControlPlane.Scheduler.MasterLink;

/// <summary>
/// Where the scheduler reaches the master: one URL, or several (HA masters) tried in turn after a failure. A
/// non-leading master's 307 names the leader (<c>Location: //host:port</c>, scheme-less as Mesos writes it),
/// which is used until it fails.
/// </summary>
internal sealed class MasterEndpoints
{
    private readonly IReadOnlyList<Uri> _masters;
    private readonly Lock _gate = new();
    private int _next;
    private Uri? _leader;

    public MasterEndpoints(IReadOnlyList<Uri> masters)
    {
        if (masters.Count == 0)
        {
            throw new ArgumentException("at least one master URL is required", nameof(masters));
        }

        _masters = masters;
    }

    public Uri Current
    {
        get
        {
            lock (_gate)
            {
                return _leader ?? _masters[_next];
            }
        }
    }

    /// <summary>Follows a redirect to the leader; a Location that is not an address is ignored (the next master is tried).</summary>
    public void Redirected(Uri? location)
    {
        lock (_gate)
        {
            var text = location?.OriginalString ?? string.Empty;
            var current = _leader ?? _masters[_next];
            if (text.StartsWith("//", StringComparison.Ordinal) && Uri.TryCreate($"{current.Scheme}:{text}", UriKind.Absolute, out var leader))
            {
                // Only the leader's address: the Location also carries the path asked for (/api/v1/scheduler), and
                // calls are made relative to this base.
                _leader = new Uri(leader.GetLeftPart(UriPartial.Authority) + "/");
            }
            else if (location is { IsAbsoluteUri: true })
            {
                _leader = new Uri(location.GetLeftPart(UriPartial.Authority) + "/");
            }
            else
            {
                _leader = null;
                _next = (_next + 1) % _masters.Count;
            }
        }
    }

    /// <summary>The master at <paramref name="failed"/> did not answer: forget a redirect target, or move to the next URL.</summary>
    public void Failed(Uri failed)
    {
        lock (_gate)
        {
            if (_leader is not null && _leader == failed)
            {
                _leader = null;
            }
            else if (_masters[_next] == failed)
            {
                _next = (_next + 1) % _masters.Count;
            }
        }
    }
}
