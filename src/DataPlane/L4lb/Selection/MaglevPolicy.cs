namespace Minuet.DataPlane.L4lb.Selection;

/// <summary>
/// Maglev consistent hashing (Eisenbud et al., NSDI 2016) on the flow's 5-tuple: the same client flow maps
/// to the same backend, and when a backend leaves only about its share of lookup slots move. The table size
/// is one prime for every VIP whatever its backend count (<see cref="DefaultTableSize"/>): a flow's slot is
/// its hash modulo the size, so a size that followed the backend count (as it once did: 1,021 slots for 10
/// backends, 2,039 for 11) re-dealt nearly every flow when one backend joined at a step. 16,381 keeps the
/// paper's under-1% imbalance (size >= 100x backends) up to 163 backends and stays usable (>= 10x) to 1,638,
/// at 32 KB per VIP (Katran and Envoy use 65,537 at 128 KB). A benched backend's slots fall through to the
/// next slots' owners.
/// </summary>
internal sealed class MaglevPolicy : IBackendPolicy
{
    public const string PolicyName = "maglev";

    public const int MaxTableSize = 65537;

    public const int DefaultTableSize = 16381;

    private const int MaxFallthrough = 64;

    private readonly TimeProvider _time;

    /// <param name="time">Clock for the breaker.</param>
    /// <param name="tableSize">The prime table size of every VIP.</param>
    public MaglevPolicy(TimeProvider time, int tableSize = DefaultTableSize)
    {
        if (tableSize < 3 || tableSize > MaxTableSize || !IsPrime(tableSize))
        {
            throw new ArgumentOutOfRangeException(nameof(tableSize), tableSize, $"Maglev table size must be a prime from 3 to {MaxTableSize}.");
        }

        _time = time;
        TableSize = tableSize;
    }

    public string Name => PolicyName;

    /// <summary>The table size of every VIP, independent of its backend count (see the type's remarks).</summary>
    public int TableSize { get; }

    public object? Prepare(BackendState[] active) => active.Length == 0 ? null : BuildTable(active, TableSize);

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
