namespace Minuet.DataPlane.L4lb.Selection;

/// <summary>
/// Minuteman's default: draw two backends at random and take the one with fewer pending connections,
/// preferring backends the circuit breaker has not benched. If both draws are benched, up to
/// <see cref="MaxDraws"/> more are looked at (as Minuteman did); when every backend is benched it still
/// picks one, since refusing is worse than trying.
/// </summary>
internal sealed class PowerOfTwoChoicesPolicy(Random random, TimeProvider time) : IBackendPolicy
{
    public const string PolicyName = "p2c";

    private const int MaxDraws = 20;

    public string Name => PolicyName;

    public object? Prepare(BackendState[] active) => null;

    public BackendState? Choose(VipRoute route, in FlowTuple flow)
    {
        var active = route.Active;
        int n = active.Length;
        if (n <= 1)
        {
            return n == 0 ? null : active[0];
        }

        long now = time.GetTimestamp();
        int a = random.Next(n);
        int b = random.Next(n - 1);
        if (b >= a)
        {
            b++;
        }

        var first = active[a];
        var second = active[b];
        bool firstOpen = !first.IsBenched(now);
        bool secondOpen = !second.IsBenched(now);
        if (firstOpen && secondOpen)
        {
            return second.Pending < first.Pending ? second : first;
        }

        if (firstOpen || secondOpen)
        {
            return firstOpen ? first : second;
        }

        // Both benched: walk from a random start for open backends, keeping the two best.
        BackendState? best = null;
        int found = 0;
        int start = random.Next(n);
        for (int i = 0; i < Math.Min(n, MaxDraws) && found < 2; i++)
        {
            var candidate = active[(start + i) % n];
            if (candidate.IsBenched(now))
            {
                continue;
            }

            found++;
            if (best is null || candidate.Pending < best.Pending)
            {
                best = candidate;
            }
        }

        return best ?? (second.Pending < first.Pending ? second : first);
    }
}
