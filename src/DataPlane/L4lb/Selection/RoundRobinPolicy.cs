namespace Minuet.DataPlane.L4lb.Selection;

/// <summary>Each VIP hands new connections to its backends in turn, skipping benched ones while any is open.</summary>
internal sealed class RoundRobinPolicy(TimeProvider time) : IBackendPolicy
{
    public const string PolicyName = "round-robin";

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
        // uint keeps the index non-negative when the counter wraps.
        uint start = (uint)Interlocked.Increment(ref route.Cursor) - 1;
        for (int i = 0; i < n; i++)
        {
            var candidate = active[(int)((start + (uint)i) % (uint)n)];
            if (!candidate.IsBenched(now))
            {
                if (i > 0)
                {
                    // Move the cursor past the benched ones so the next connection does not scan them again.
                    Interlocked.Add(ref route.Cursor, i);
                }

                return candidate;
            }
        }

        return active[(int)(start % (uint)n)];
    }
}
