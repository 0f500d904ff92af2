namespace Minuet.DataPlane.L4lb.Selection;

/// <summary>
/// Maglev consistent hashing (Eisenbud et al., NSDI 2016) on the flow's 5-tuple: the same client flow maps
/// to the same backend, and when a backend leaves only about its share of lookup slots move. The table size
/// is prime; by default the smallest listed prime at least 100x the backend count (the paper's bound for
/// under 1% imbalance), capped at 65,537 as in Katran, so 10,000 small VIPs do not cost 10,000 big tables.
/// A benched backend's slots fall through to the next slots' owners.
/// </summary>
internal sealed class MaglevPolicy : IBackendPolicy
{
    public const string PolicyName = "maglev";

    public const int MaxTableSize = 65537;

    private const int MaxFallthrough = 64;

    private static readonly int[] Primes = [251, 509, 1021, 2039, 4093, 8191, 16381, 32749, MaxTableSize];

    private readonly int? _fixedTableSize;
    private readonly TimeProvider _time;

    /// <param name="time">Clock for the breaker.</param>
    /// <param name="fixedTableSize">A prime table size for every VIP; null sizes by backend count.</param>
    public MaglevPolicy(TimeProvider time, int? fixedTableSize = null)
    {
        if (fixedTableSize is { } size && (size < 3 || !IsPrime(size)))
        {
            throw new ArgumentOutOfRangeException(nameof(fixedTableSize), size, "Maglev table size must be a prime of at least 3.");
        }

        _time = time;
        _fixedTableSize = fixedTableSize;
    }

    public string Name => PolicyName;

    public int TableSizeFor(int backends)
    {
        if (_fixedTableSize is { } size)
        {
            return size;
        }

        long wanted = 100L * backends;
        foreach (int prime in Primes)
        {
            if (prime >= wanted)
            {
                return prime;
            }
        }

        return MaxTableSize;
    }

    public object? Prepare(BackendState[] active) => active.Length == 0 ? null : BuildTable(active, TableSizeFor(active.Length));

    public BackendState? Choose(VipRoute route, in FlowTuple flow)
    {
        var active = route.Active;
        if (active.Length == 0 || route.PolicyState is not ushort[] table)
        {
            return null;
        }

        long now = _time.GetTimestamp();
        int slot = (int)(flow.Hash() % (ulong)table.Length);
        var chosen = active[table[slot]];
        for (int i = 1; i < MaxFallthrough && chosen.IsBenched(now); i++)
        {
            var next = active[table[(slot + i) % table.Length]];
            if (!next.IsBenched(now))
            {
                return next;
            }
        }

        return chosen;
    }

    /// <summary>The Maglev population: each backend fills slots along its own permutation, in turns.</summary>
    internal static ushort[] BuildTable(BackendState[] backends, int size)
    {
        int n = Math.Min(backends.Length, ushort.MaxValue);
        var offsets = new int[n];
        var skips = new int[n];
        var next = new int[n];
        for (int i = 0; i < n; i++)
        {
            ulong key = backends[i].Endpoint.Key;
            offsets[i] = (int)(FlowTuple.Mix(key ^ 0x6D61676C6576UL) % (ulong)size);
            skips[i] = (int)(FlowTuple.Mix(key ^ 0x736B6970UL) % (ulong)(size - 1)) + 1;
        }

        var table = new ushort[size];
        var filled = new bool[size];
        int count = 0;
        while (true)
        {
            for (int i = 0; i < n; i++)
            {
                int slot;
                do
                {
                    slot = (int)((offsets[i] + ((long)next[i] * skips[i])) % size);
                    next[i]++;
                }
                while (filled[slot]);

                filled[slot] = true;
                table[slot] = (ushort)i;
                if (++count == size)
                {
                    return table;
                }
            }
        }
    }

    private static bool IsPrime(int value)
    {
        for (int d = 2; (long)d * d <= value; d++)
        {
            if (value % d == 0)
            {
                return false;
            }
        }

        return value >= 2;
    }
}
