using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.Launching;
using Minuet.ControlPlane.Scheduler.Validation;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>
/// What the API admits beyond the JSON rules: privileged containers (<see cref="SchedulerOptions.AllowPrivileged"/>) and
/// fixed host ports inside the ports agents have offered (every port an offer showed, plus our tasks' ports there).
/// </summary>
internal sealed partial class SchedulerCore
{
    private readonly Dictionary<string, List<PortRange>> _agentPorts = new(StringComparer.Ordinal);

    /// <summary>The rules an app from the API must pass now.</summary>
    public AppAdmission Admission
    {
        get
        {
            lock (_gate)
            {
                if (_agentPorts.Count == 0)
                {
                    return new AppAdmission(_options.AllowPrivileged, AppAdmission.AnyPort);
                }

                var ports = _agentPorts.Values.SelectMany(r => r).Select(r => (r.Begin, r.End))
                    .Concat(_apps.Values.SelectMany(a => a.Tasks.Values).SelectMany(t => t.Ports).Select(p => (p, p)));
                return new AppAdmission(_options.AllowPrivileged, Merge(ports));
            }
        }
    }

    /// <summary>Remembers the ports an offer shows (called under the lock with every offer).</summary>
    private void RecordAgentPorts(OfferInfo offer)
    {
        var known = _agentPorts.GetValueOrDefault(offer.AgentId) ?? [];
        _agentPorts[offer.AgentId] = Merge(known.Concat(offer.Resources.Ports).Select(r => (r.Begin, r.End)));
    }

    private static List<PortRange> Merge(IEnumerable<(int Begin, int End)> ranges)
    {
        var merged = new List<PortRange>();
        foreach (var (begin, end) in ranges.OrderBy(r => r.Begin))
        {
            if (merged.Count > 0 && begin <= merged[^1].End + 1)
            {
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, end) };
            }
            else
            {
                merged.Add(new PortRange(begin, end));
            }
        }

        return merged;
    }
}
