using Minuet.Native.Interop;
using Minuet.Native.Netlink.Ipset;
using Minuet.Native.Tests.Support;
using Minuet.TestSupport;

namespace Minuet.Native.Tests.Netlink.Ipset;

/// <summary>The ipset client against the real kernel, inside a namespace each test creates.</summary>
public class IpsetClientNetnsTests
{
    [NetnsFact]
    public void CreateAddList_InFreshNamespace_IpsetToolSeesTheMembers()
    {
        using var ns = NetnsScope.Create();

        var (created, added, listed) = ns.Run(() =>
        {
            Assert.True(IpsetClient.TryOpen(out var client).IsSuccess);
            using (client)
            {
                var create = client!.CreateHashIpPort("mt-vips");
                var add1 = client.Add("mt-vips", new IpsetEntry(0xc613000a, 80));
                var add2 = client.Add("mt-vips", new IpsetEntry(0xc613000b, 8080));
                var members = new List<IpsetEntry>();
                var list = client.List("mt-vips", members);
                Assert.True(list.IsSuccess, list.ToString());
                return (create, add1.IsSuccess && add2.IsSuccess, members);
            }
        });

        Assert.True(created.IsSuccess, created.ToString());
        Assert.True(added);
        Assert.Equal(
            [new IpsetEntry(0xc613000a, 80), new IpsetEntry(0xc613000b, 8080)],
            listed.OrderBy(e => e.Address));
        var tool = ns.Exec("ipset list mt-vips");
        Assert.Contains("Type: hash:ip,port", tool, StringComparison.Ordinal);
        Assert.Contains("198.19.0.10,tcp:80", tool, StringComparison.Ordinal);
        Assert.Contains("198.19.0.11,tcp:8080", tool, StringComparison.Ordinal);
    }

    [NetnsFact]
    public void AddExclusive_ExistingMember_ReturnsIpsetExistWithOperation()
    {
        using var ns = NetnsScope.Create();

        var (again, idempotent) = ns.Run(() =>
        {
            IpsetClient.TryOpen(out var client);
            using (client)
            {
                client!.CreateHashIpPort("mt-dup");
                client.Add("mt-dup", new IpsetEntry(0xc613000a, 80), exclusive: true);
                return (client.Add("mt-dup", new IpsetEntry(0xc613000a, 80), exclusive: true),
                        client.Add("mt-dup", new IpsetEntry(0xc613000a, 80), exclusive: false));
            }
        });

        Assert.Equal(new NativeResult("ipset add", Errno.IPSET_ERR_EXIST), again);
        Assert.True(idempotent.IsSuccess);
    }

    [NetnsFact]
    public void CreateTwice_ReturnsEexist()
    {
        using var ns = NetnsScope.Create();

        var second = ns.Run(() =>
        {
            IpsetClient.TryOpen(out var client);
            using (client)
            {
                client!.CreateHashIpPort("mt-twice");
                return client.CreateHashIpPort("mt-twice");
            }
        });

        Assert.Equal("ipset create", second.Operation);
        Assert.Equal(Errno.EEXIST, second.Errno);
    }

    [NetnsFact]
    public void BatchAddTestDeleteSwapFlushDestroy_KernelStateFollows()
    {
        using var ns = NetnsScope.Create();
        var entries = Enumerable.Range(0, 1000).Select(i => new IpsetEntry(0xc6130000u + (uint)i, 80)).ToArray();

        var outcome = ns.Run(() =>
        {
            IpsetClient.TryOpen(out var client);
            using (client)
            {
                client!.CreateHashIpPort("mt-live");
                client.CreateHashIpPort("mt-tmp");
                var results = new Errno[entries.Length];
                var batch = client.AddOrDeleteMany("mt-tmp", entries, add: true, results);
                client.Test("mt-tmp", entries[999], out bool present);
                client.Test("mt-tmp", new IpsetEntry(0xc6140000, 80), out bool absent);
                var swap = client.Swap("mt-tmp", "mt-live");
                var liveMembers = new List<IpsetEntry>();
                client.List("mt-live", liveMembers);
                var delete = client.AddOrDeleteMany("mt-live", entries.AsSpan(0, 10), add: false, results);
                var afterDelete = new List<IpsetEntry>();
                client.List("mt-live", afterDelete);
                var flush = client.Flush("mt-live");
                var afterFlush = new List<IpsetEntry>();
                client.List("mt-live", afterFlush);
                var destroyTmp = client.Destroy("mt-tmp");
                var destroyLive = client.Destroy("mt-live");
                return (batch, present, absent, swap, liveMembers.Count, delete, afterDelete.Count, flush, afterFlush.Count, destroyTmp, destroyLive);
            }
        });

        Assert.True(outcome.batch.IsSuccess, outcome.batch.ToString());
        Assert.True(outcome.present);
        Assert.False(outcome.absent);
        Assert.True(outcome.swap.IsSuccess, outcome.swap.ToString());
        Assert.Equal(1000, outcome.Item5);
        Assert.True(outcome.delete.IsSuccess, outcome.delete.ToString());
        Assert.Equal(990, outcome.Item7);
        Assert.True(outcome.flush.IsSuccess);
        Assert.Equal(0, outcome.Item9);
        Assert.True(outcome.destroyTmp.IsSuccess && outcome.destroyLive.IsSuccess);
        Assert.DoesNotContain("mt-live", ns.Exec("ipset list -n"), StringComparison.Ordinal);
    }

    [NetnsFact]
    public void Destroy_MissingSet_ReturnsEnoent()
    {
        using var ns = NetnsScope.Create();

        var result = ns.Run(() =>
        {
            IpsetClient.TryOpen(out var client);
            using (client)
            {
                return client!.Destroy("mt-none");
            }
        });

        Assert.Equal(new NativeResult("ipset destroy", Errno.ENOENT), result);
    }
}
