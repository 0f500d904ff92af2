using Minuet.Native.Interop;
using Minuet.Native.Netlink.Conntrack;
using Minuet.Native.Tests.Support;
using Minuet.TestSupport;

namespace Minuet.Native.Tests.Netlink.Conntrack;

/// <summary>ctnetlink against the real kernel, in a namespace each test creates (198.18.0.0/15 addresses only).</summary>
public class ConntrackClientNetnsTests
{
    private static readonly ConntrackTuple ClientToVip = new(0xc6120001, 0xc613000a, 40000, 80);

    [NetnsFact]
    public void Create_DnatEntry_ConntrackToolListsItNatedToTheBackend()
    {
        using var ns = NetnsScope.Create();
        var entry = ConntrackNatEntry.Dnat(ClientToVip, 0xc6120102, 8080, 60);

        var created = ns.Run(() => WithClient(c => c.Create(entry)));

        Assert.True(created.IsSuccess, created.ToString());
        var listing = ns.Exec("conntrack -L");
        Assert.Contains("src=198.18.0.1 dst=198.19.0.10 sport=40000 dport=80", listing, StringComparison.Ordinal);
        Assert.Contains("src=198.18.1.2 dst=198.18.0.1 sport=8080 dport=40000", listing, StringComparison.Ordinal);
        Assert.Contains("SYN_SENT", listing, StringComparison.Ordinal);
    }

    [NetnsFact]
    public void Create_UnNatedInverseReply_KernelRewritesReplyAndMarksDstNat()
    {
        using var ns = NetnsScope.Create();
        var entry = ConntrackNatEntry.Dnat(ClientToVip, 0xc6120102, 8080, 60);

        var got = ns.Run(() => WithClient(c =>
        {
            Assert.True(c.Create(entry).IsSuccess);
            Assert.True(c.Get(ClientToVip, out var info).IsSuccess);
            return info;
        }));

        Assert.Equal(new ConntrackTuple(0xc6120102, 0xc6120001, 8080, 40000), got.Reply);
        Assert.True(got.Status.HasFlag(ConntrackStatus.DstNat));
    }

    [NetnsFact]
    public void Create_ReplyTupleAlreadyFromBackend_AcceptedButNeverMarkedForNat()
    {
        // Verified here: the kernel accepts a reply tuple that already names the backend, but nf_nat_setup_info
        // then finds nothing to change (the reply already matches the NAT target), so IPS_DST_NAT stays clear and
        // packets would leave un-translated. This is why ConntrackNatEntry.Dnat sends the un-NATed inverse.
        using var ns = NetnsScope.Create();
        var entry = ConntrackNatEntry.Dnat(ClientToVip, 0xc6120102, 8080, 60) with
        {
            Reply = new ConntrackTuple(0xc6120102, 0xc6120001, 8080, 40000),
        };

        var (created, got) = ns.Run(() => WithClient(c =>
        {
            var result = c.Create(entry);
            c.Get(ClientToVip, out var info);
            return (result, info);
        }));

        Assert.True(created.IsSuccess, created.ToString());
        Assert.Equal(new ConntrackTuple(0xc6120102, 0xc6120001, 8080, 40000), got.Reply);
        Assert.False(got.Status.HasFlag(ConntrackStatus.DstNat));
    }

    [NetnsFact]
    public void Create_WithoutReplyTuple_KernelSaysEinval()
    {
        // What ARCHITECTURE.md records: leaving the reply tuple out is EINVAL. A zero tuple is the closest a
        // builder that always writes both can get, and the kernel rejects it as well.
        using var ns = NetnsScope.Create();
        var entry = ConntrackNatEntry.Dnat(ClientToVip, 0xc6120102, 8080, 60) with { Reply = default };

        var created = ns.Run(() => WithClient(c => c.Create(entry)));

        Assert.False(created.IsSuccess);
        Assert.Equal("conntrack create", created.Operation);
    }

    [NetnsFact]
    public void Create_WithSourceNat_ReplyGoesToTheSnatAddress()
    {
        using var ns = NetnsScope.Create();
        var entry = ConntrackNatEntry.Dnat(ClientToVip, 0xc6120102, 8080, 60) with { SourceNatAddress = 0xc6120003 };

        var (created, got) = ns.Run(() => WithClient(c =>
        {
            var result = c.Create(entry);
            c.Get(ClientToVip, out var info);
            return (result, info);
        }));

        Assert.True(created.IsSuccess, created.ToString());
        Assert.Equal(new ConntrackTuple(0xc6120102, 0xc6120003, 8080, 40000), got.Reply);
        Assert.True(got.Status.HasFlag(ConntrackStatus.SrcNat) && got.Status.HasFlag(ConntrackStatus.DstNat));
    }

    [NetnsFact]
    public void CreateTwice_SecondIsEexist_ReplacingStaleSucceeds()
    {
        using var ns = NetnsScope.Create();
        var stale = ConntrackNatEntry.Dnat(ClientToVip, 0xc6120102, 8080, 60);
        var fresh = ConntrackNatEntry.Dnat(ClientToVip, 0xc6120103, 8080, 60);

        var (again, replaced, info) = ns.Run(() => WithClient(c =>
        {
            c.Create(stale);
            var second = c.Create(fresh);
            var replacing = c.CreateReplacingStale(fresh);
            c.Get(ClientToVip, out var got);
            return (second, replacing, got);
        }));

        Assert.Equal(new NativeResult("conntrack create", Errno.EEXIST), again);
        Assert.True(replaced.IsSuccess, replaced.ToString());
        Assert.Equal(0xc6120103u, info.Reply.SourceAddress);
    }

    [NetnsFact]
    public void CreateBatch_OneAlreadyExists_ReportsEexistForThatEntryOnly()
    {
        using var ns = NetnsScope.Create();
        var entries = Enumerable.Range(0, 10)
            .Select(i => ConntrackNatEntry.Dnat(ClientToVip with { SourcePort = (ushort)(41000 + i) }, 0xc6120102, 8080, 60))
            .ToArray();

        var (batch, results, count) = ns.Run(() => WithClient(c =>
        {
            c.Create(entries[3]);
            var errnos = new Errno[entries.Length];
            var result = c.CreateBatch(entries, errnos);
            var all = new List<ConntrackEntryInfo>();
            c.Dump(all);
            return (result, errnos, all.Count);
        }));

        Assert.True(batch.IsSuccess, batch.ToString());
        Assert.Equal(Errno.EEXIST, results[3]);
        Assert.All(results.Where((_, i) => i != 3), e => Assert.Equal(Errno.None, e));
        Assert.Equal(10, count);
    }

    [NetnsFact]
    public void CreateBatchUnacknowledged_OneAlreadyExists_EntriesInTableOnReturnAndEexistForThatOneOnly()
    {
        using var ns = NetnsScope.Create();
        var entries = Enumerable.Range(0, 10)
            .Select(i => ConntrackNatEntry.Dnat(ClientToVip with { SourcePort = (ushort)(42000 + i) }, 0xc6120102, 8080, 60))
            .ToArray();

        var (batch, results, natted, leftover) = ns.Run(() => WithClient(c =>
        {
            c.Create(entries[6]);
            var errnos = new Errno[entries.Length];
            Array.Fill(errnos, Errno.EINVAL);
            var result = c.CreateBatchUnacknowledged(entries, errnos);

            // Read right after the call returns, on the same socket: the kernel made every entry inside the send.
            var all = new List<ConntrackEntryInfo>();
            c.Dump(all);
            int toBackend = all.Count(e => (e.Status & ConntrackStatus.DstNat) != 0 && e.Reply.SourceAddress == 0xc6120102 && e.Reply.SourcePort == 8080);

            // No success ACK may be left behind to confuse the next request on this socket.
            var next = c.Delete(entries[0].Original);
            return (result, errnos, toBackend, next);
        }));

        Assert.True(batch.IsSuccess, batch.ToString());
        Assert.Equal(Errno.EEXIST, results[6]);
        Assert.All(results.Where((_, i) => i != 6), e => Assert.Equal(Errno.None, e));
        Assert.Equal(10, natted);
        Assert.True(leftover.IsSuccess, leftover.ToString());
    }

    [NetnsFact]
    public void Delete_ExistingThenMissing_SucceedsThenEnoent()
    {
        using var ns = NetnsScope.Create();
        var entry = ConntrackNatEntry.Dnat(ClientToVip, 0xc6120102, 8080, 60);

        var (first, second) = ns.Run(() => WithClient(c =>
        {
            c.Create(entry);
            return (c.Delete(ClientToVip), c.Delete(ClientToVip));
        }));

        Assert.True(first.IsSuccess, first.ToString());
        Assert.Equal(new NativeResult("conntrack delete", Errno.ENOENT), second);
        Assert.DoesNotContain("198.19.0.10", ns.Exec("conntrack -L"), StringComparison.Ordinal);
    }

    [NetnsFact]
    public void Dump_AfterCreates_ReturnsEveryEntry()
    {
        using var ns = NetnsScope.Create();

        var entries = ns.Run(() => WithClient(c =>
        {
            for (ushort port = 40000; port < 40005; port++)
            {
                c.Create(ConntrackNatEntry.Dnat(ClientToVip with { SourcePort = port }, 0xc6120102, 8080, 60));
            }

            var all = new List<ConntrackEntryInfo>();
            var dump = c.Dump(all);
            Assert.True(dump.IsSuccess, dump.ToString());
            return all;
        }));

        Assert.Equal(5, entries.Count);
        Assert.All(entries, e => Assert.Equal(0xc613000au, e.Original.DestinationAddress));
    }

    [NetnsFact]
    public void EventListener_CreateAndDelete_ReceivesNewThenDestroy()
    {
        using var ns = NetnsScope.Create();
        var entry = ConntrackNatEntry.Dnat(ClientToVip, 0xc6120102, 8080, 60);

        var events = ns.Run(() =>
        {
            Assert.True(ConntrackEventListener.TryOpen(ConntrackEventGroups.All, out var listener).IsSuccess);
            using (listener)
            {
                WithClient(c =>
                {
                    c.Create(entry);
                    return c.Delete(ClientToVip);
                });
                var collector = new Collector { Events = [] };
                for (int i = 0; i < 20 && collector.Events.Count < 2; i++)
                {
                    listener!.Receive(200, ref collector);
                }

                return collector.Events;
            }
        });

        Assert.Equal([ConntrackEventType.New, ConntrackEventType.Destroy], events.Select(e => e.EventType));
        Assert.All(events, e => Assert.Equal(ClientToVip, e.Original));
        Assert.Equal(0xc6120102u, events[0].Reply.SourceAddress);
    }

    private static T WithClient<T>(Func<ConntrackClient, T> work)
    {
        var opened = ConntrackClient.TryOpen(out var client);
        Assert.True(opened.IsSuccess, opened.ToString());
        using (client)
        {
            return work(client!);
        }
    }

    private struct Collector : IConntrackEventHandler
    {
        public List<ConntrackEntryInfo> Events;

        public readonly void OnEvent(in ConntrackEntryInfo entry) => Events.Add(entry);
    }
}
