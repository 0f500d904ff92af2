using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Storage;
using Minuet.ControlPlane.Tests.Storage;

namespace Minuet.ControlPlane.Tests.Master;

/// <summary>UPDATE_QUOTA and MARK_AGENT_GONE outlive a master restart, as Mesos keeps both in its registry.</summary>
public sealed class MasterOperatorStateStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "minuet-opstate-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void MasterRestart_KeepsQuotasAndGoneAgents_GoneAgentStaysOutAndMayNotRegister()
    {
        string gone;
        string kept;
        using (var store = SqliteMasterStore.Open(_dir))
        {
            var m = new TestMaster(store);
            gone = m.RegisterAgent("10.0.0.11");
            kept = m.RegisterAgent("10.0.0.12");
            Assert.Null(m.Core.UpdateQuotas([("dev", new Resources(2, 512), new Resources(3, 1024)), ("ops", new Resources(1, 0), null)]));
            Assert.Null(m.Core.UpdateQuotas([("ops", Resources.Empty, null)]));
            Assert.Null(m.Core.MarkAgentGone(gone));
        }

        using (var reopened = SqliteMasterStore.Open(_dir))
        {
            var m = new TestMaster(reopened);
            var quota = Assert.Single(m.Core.QuotaConfigs);
            Assert.Equal("dev", quota.Key);
            Assert.Equal((2.0, 512.0), (quota.Value.Guarantee.Cpus, quota.Value.Guarantee.Mem));
            Assert.Equal((3.0, 1024.0), (quota.Value.Limit!.Value.Cpus, quota.Value.Limit.Value.Mem));
            Assert.Equal(quota.Value, m.Core.Allocator.QuotaOf("dev"));
            Assert.Null(m.Core.Allocator.QuotaOf("ops"));

            Assert.Equal([gone], m.Core.GoneAgents);
            Assert.Equal(AgentStatus.Unreachable, m.Core.Agents[gone].Status);
            var (_, refused) = m.Core.RegisterAgent(TestMaster.AgentRequest(gone, "10.0.0.11"));
            Assert.Equal(403, refused!.Status);
            Assert.Contains("marked gone", refused.Message, StringComparison.Ordinal);
            var (response, error) = m.Core.RegisterAgent(TestMaster.AgentRequest(kept, "10.0.0.12"));
            Assert.Null(error);
            Assert.Equal(kept, response!.AgentId);
        }
    }

    [Fact]
    public void UpdateQuotaAndMarkAgentGone_StoreFull_Refused503AndNothingChanges()
    {
        var store = new FaultyMasterStore();
        var m = new TestMaster(store);
        string agent = m.RegisterAgent();

        store.Full = true;
        Assert.Equal(503, m.Core.UpdateQuotas([("dev", new Resources(2, 512), null)])!.Status);
        Assert.Equal(503, m.Core.MarkAgentGone(agent)!.Status);

        Assert.Empty(m.Core.QuotaConfigs);
        Assert.Null(m.Core.Allocator.QuotaOf("dev"));
        Assert.Empty(m.Core.GoneAgents);
        Assert.Equal(AgentStatus.Active, m.Core.Agents[agent].Status);

        // The store takes writes again: both calls work, and a new master over the same store sees them.
        store.Full = false;
        Assert.Null(m.Core.UpdateQuotas([("dev", new Resources(2, 512), null)]));
        Assert.Null(m.Core.MarkAgentGone(agent));
        var restarted = new TestMaster(store);
        Assert.Equal(2, restarted.Core.QuotaConfigs["dev"].Guarantee.Cpus);
        Assert.Null(restarted.Core.QuotaConfigs["dev"].Limit);
        Assert.Contains(agent, restarted.Core.GoneAgents);
    }
}
