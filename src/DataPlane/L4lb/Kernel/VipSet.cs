using Minuet.DataPlane.L4lb.Vips;
using Minuet.Native;
using Minuet.Native.Interop;
using Minuet.Native.Netlink.Ipset;

namespace Minuet.DataPlane.L4lb.Kernel;

/// <summary>
/// The <c>hash:ip,port</c> ipset of VIPs the raw-table rules match. Changes go in as deltas against what this
/// process last programmed; <see cref="Rebuild"/> repairs drift (someone flushed the set, a crashed run
/// left extra members) by filling a temporary set and swapping it in, as Minuteman did, so the live set is
/// never empty in between. Not thread-safe: the balancer's apply loop owns it.
/// </summary>
internal sealed class VipSet(IpsetClient client, string name) : IDisposable
{
    /// <summary>Room for 10,000 VIPs x several ports and then some.</summary>
    private const uint MaxElements = 1 << 20;

    private readonly HashSet<IpPort> _programmed = [];

    public string Name { get; } = name;

    public int Count => _programmed.Count;

    /// <summary>A copy of what this process has programmed (for deciding which named VIPs are reachable).</summary>
    public IReadOnlySet<IpPort> ProgrammedSnapshot() => new HashSet<IpPort>(_programmed);

    public static NativeResult TryOpen(string name, out VipSet? set)
    {
        set = null;
        var opened = IpsetClient.TryOpen(out var client);
        if (!opened.IsSuccess)
        {
            return opened;
        }

        set = new VipSet(client!, name);
        return opened;
    }

    /// <summary>Creates the set if missing (an existing one is kept: a restarted daemon must not drop live VIPs).</summary>
    public NativeResult Ensure()
    {
        var created = client.CreateHashIpPort(Name, maxElements: MaxElements);
        return IsExists(created.Errno) ? NativeResult.Success(created.Operation) : created;
    }

    /// <summary>Adds what is new and deletes what is gone, relative to the last programmed state.</summary>
    public NativeResult ApplyDelta(IReadOnlySet<IpPort> desired)
    {
        var toAdd = desired.Where(v => !_programmed.Contains(v)).ToArray();
        var toDelete = _programmed.Where(v => !desired.Contains(v)).ToArray();
        if (toAdd.Length > 0)
        {
            var added = Batch(toAdd, add: true);
            if (!added.IsSuccess)
            {
                return added;
            }

            _programmed.UnionWith(toAdd);
        }

        if (toDelete.Length > 0)
        {
            var deleted = Batch(toDelete, add: false);
            if (!deleted.IsSuccess)
            {
                return deleted;
            }

            _programmed.ExceptWith(toDelete);
        }

        return NativeResult.Success("ipset delta");
    }

    /// <summary>Makes the kernel set hold exactly <paramref name="desired"/>: fill a temporary set, swap, destroy.</summary>
    public NativeResult Rebuild(IReadOnlySet<IpPort> desired)
    {
        string temporary = TemporaryName(Name);
        client.Destroy(temporary);
        var created = client.CreateHashIpPort(temporary, maxElements: MaxElements);
        if (!created.IsSuccess)
        {
            return created;
        }

        try
        {
            if (desired.Count > 0)
            {
                var entries = desired.Select(ToEntry).ToArray();
                var added = client.AddOrDeleteMany(temporary, entries, add: true, new Errno[entries.Length]);
                if (!added.IsSuccess)
                {
                    return added;
                }
            }

            var ensured = Ensure();
            if (!ensured.IsSuccess)
            {
                return ensured;
            }

            var swapped = client.Swap(Name, temporary);
            if (!swapped.IsSuccess)
            {
                return swapped;
            }

            _programmed.Clear();
            _programmed.UnionWith(desired);
            return swapped;
        }
        finally
        {
            client.Destroy(temporary);
        }
    }

    /// <summary>What the kernel set holds now (administrative: allocates).</summary>
    public NativeResult ListKernel(List<IpPort> members)
    {
        var entries = new List<IpsetEntry>();
        var listed = client.List(Name, entries);
        members.AddRange(entries.Where(e => e.Protocol is IpsetEntry.Tcp or IpsetEntry.Udp).Select(FromEntry));
        return listed;
    }

    /// <summary>Destroys the set; the rules referencing it must be gone first (else EBUSY).</summary>
    public NativeResult Destroy()
    {
        _programmed.Clear();
        var destroyed = client.Destroy(Name);
        return destroyed.Errno is Errno.ENOENT or Errno.IPSET_ERR_PROTOCOL ? NativeResult.Success(destroyed.Operation) : destroyed;
    }

    public void Dispose() => client.Dispose();

    internal static string TemporaryName(string name) => name.Length <= 27 ? name + "-tmp" : name[..27] + "-tmp";

    private NativeResult Batch(IpPort[] vips, bool add)
    {
        var entries = vips.Select(ToEntry).ToArray();
        return client.AddOrDeleteMany(Name, entries, add, new Errno[entries.Length]);
    }

    /// <summary>The set member of a VIP: <c>ip,tcp:port</c> or <c>ip,udp:port</c>.</summary>
    internal static IpsetEntry ToEntry(IpPort vip) =>
        new(vip.Address, vip.Port, vip.Protocol == VipProtocol.Udp ? IpsetEntry.Udp : IpsetEntry.Tcp);

    internal static IpPort FromEntry(IpsetEntry entry) =>
        new(entry.Address, entry.Port, entry.Protocol == IpsetEntry.Udp ? VipProtocol.Udp : VipProtocol.Tcp);

    private static bool IsExists(Errno errno) => errno is Errno.EEXIST or Errno.IPSET_ERR_EXIST or Errno.IPSET_ERR_EXIST_SETNAME2;
}
