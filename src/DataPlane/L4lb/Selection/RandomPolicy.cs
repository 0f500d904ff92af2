namespace Minuet.DataPlane.L4lb.Selection;

/// <summary>
/// A uniformly random backend. A benched draw is redrawn (walking on to the next slot would hand the benched
/// backend's share to its neighbour); after a few redraws it walks from a random start to any open one.
/// </summary>
internal sealed class RandomPolicy(Random random, TimeProvider time) : IBackendPolicy
{
    public const string PolicyName = "random";

    private const int Redraws = 8;

    public string Name => PolicyName;

    public object? Prepare(BackendState[] active) => null;

    public BackendState? Choose(VipRoute route, in FlowTuple flow)
    {
        var active = route.Active;
        int n = active.Length;
        if (n == 0)
        {
            return null;
        }

        long now = time.GetTimestamp();
        for (int draw = 0; draw < Redraws; draw++)
        {
            var drawn = active[random.Next(n)];
            if (!drawn.IsBenched(now))
            {
                return drawn;
            }
        }

        int start = random.Next(n);
        for (int i = 0; i < n; i++)
        {
            var candidate = active[(start + i) % n];
            if (!candidate.IsBenched(now))
            {
                return candidate;
            }
        }

        return active[start];
    }
}
