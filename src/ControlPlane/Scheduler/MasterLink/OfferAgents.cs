namespace Minuet.ControlPlane.Scheduler.MasterLink;

/// <summary>
/// Which agent each outstanding offer is on: a v1 TaskInfo names its agent, the scheduler's accept names only
/// offers. Entries go when the offer is used, declined or rescinded; the bound keeps a scheduler that lets offers
/// expire from growing it forever.
/// </summary>
internal sealed class OfferAgents
{
    private const int Capacity = 100_000;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _agents = new(StringComparer.Ordinal);

    public void Remember(string offerId, string agentId)
    {
        lock (_gate)
        {
            if (_agents.Count >= Capacity)
            {
                _agents.Clear();
            }

            _agents[offerId] = agentId;
        }
    }

    public string? AgentOf(string offerId)
    {
        lock (_gate)
        {
            return _agents.GetValueOrDefault(offerId);
        }
    }

    public void Forget(IEnumerable<string> offerIds)
    {
        lock (_gate)
        {
            foreach (var id in offerIds)
            {
                _agents.Remove(id);
            }
        }
    }
}
