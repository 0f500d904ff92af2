using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Master;

/// <summary>
/// Registrations, subscriptions and operator calls are stored before they change memory, but their writes happen
/// outside the master lock: the caller's answer waits for the write, the rest of the master does not.
/// </summary>
public class MasterCoreStoreThenApplyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RegisterAgent_WhileItsWriteIsInTheStore_NoAnswerYetAndTheLockAndStateStayFree()
    {
        using var store = new HoldingMasterStore();
        var m = new TestMaster(store);
        store.Hold = w => w == "PutAgent";

        var register = Task.Run(() => m.Core.RegisterAgent(TestMaster.AgentRequest()));
        await AssertHeldWhileMasterAnswersAsync(m, store, register);
        Assert.Empty(m.Core.View.Agents);

        store.Release();
        var (response, error) = await register.WaitAsync(Patience);
        Assert.Null(error);
        Assert.True(m.Core.View.Agents.ContainsKey(response!.AgentId));
        Assert.Equal(response.AgentId, Assert.Single(store.Load().Agents).Id);
    }

    [Fact]
    public async Task Subscribe_WhileItsWriteIsInTheStore_NoStreamYetAndTheLockAndStateStayFree()
    {
        using var store = new HoldingMasterStore();
        var m = new TestMaster(store);
        store.Hold = w => w == "PutFramework";

        var subscribe = Task.Run(() => m.Core.Subscribe(new SubscribeRequest { Name = "marathon", Role = "*" }));
        await AssertHeldWhileMasterAnswersAsync(m, store, subscribe);
        Assert.Empty(m.Core.View.Frameworks);

        store.Release();
        var (connection, error) = await subscribe.WaitAsync(Patience);
        Assert.Null(error);
        Assert.Equal("SUBSCRIBED", TestMaster.Next(connection!).Type);
        Assert.True(m.Core.View.Frameworks.ContainsKey(connection!.FrameworkId));
        Assert.Equal(connection.FrameworkId, Assert.Single(store.Load().Frameworks).Id);
    }

    [Fact]
    public async Task UpdateQuotas_WhileItsWriteIsInTheStore_NotAppliedUntilStored()
    {
        using var store = new HoldingMasterStore();
        var m = new TestMaster(store);
        store.Hold = w => w == "PutMeta:quotas";

        var update = Task.Run(() => m.Core.UpdateQuotas([("dev", new Resources(2, 512), null)]));
        await AssertHeldWhileMasterAnswersAsync(m, store, update);
        Assert.Empty(m.Core.Read(c => c.QuotaConfigs.Keys.ToList()));

        store.Release();
        Assert.Null(await update.WaitAsync(Patience));
        Assert.Equal("dev", Assert.Single(m.Core.Read(c => c.QuotaConfigs.Keys.ToList())));
        Assert.Contains("\"dev\"", store.Load().Meta["quotas"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateQuotas_SecondCallWhileTheFirstIsStored_WaitsAndTheStoreEndsWithBoth()
    {
        using var store = new HoldingMasterStore();
        var m = new TestMaster(store);
        store.Hold = w => w == "PutMeta:quotas";

        var first = Task.Run(() => m.Core.UpdateQuotas([("dev", new Resources(2, 512), null)]));
        Assert.True(store.Entered.Wait(Patience), "the first quota write never reached the store");
        store.Hold = null;
        var second = Task.Run(() => m.Core.UpdateQuotas([("ops", new Resources(1, 256), null)]));

        // The second must be checked against memory with the first in it: checked earlier, it would queue a set
        // without "dev" behind the held write, and the store would end without "dev".
        store.Release();
        Assert.Null(await first.WaitAsync(Patience));
        Assert.Null(await second.WaitAsync(Patience));
        var stored = store.Load().Meta["quotas"];
        Assert.Contains("\"dev\"", stored, StringComparison.Ordinal);
        Assert.Contains("\"ops\"", stored, StringComparison.Ordinal);
        Assert.Equal(["dev", "ops"], m.Core.Read(c => c.QuotaConfigs.Keys.Order(StringComparer.Ordinal).ToList()));
    }

    [Fact]
    public async Task MarkAgentGone_WhileItsWriteIsInTheStore_AgentStaysUntilStored()
    {
        using var store = new HoldingMasterStore();
        var m = new TestMaster(store);
        var agent = m.RegisterAgent();
        store.Hold = w => w == "PutMeta:gone_agents";

        var gone = Task.Run(() => m.Core.MarkAgentGone(agent));
        await AssertHeldWhileMasterAnswersAsync(m, store, gone);
        Assert.Equal(AgentStatus.Active, m.Core.View.Agents[agent].Status);

        store.Release();
        Assert.Null(await gone.WaitAsync(Patience));
        Assert.Equal(AgentStatus.Unreachable, m.Core.View.Agents[agent].Status);
        Assert.Equal(403, m.Core.RegisterAgent(TestMaster.AgentRequest(agent)).Error!.Status);
    }

    [Fact]
    public async Task RegisterAgent_MarkedGoneWhileItsWriteIsInTheStore_TheAgentEndsGone()
    {
        using var store = new HoldingMasterStore();
        var m = new TestMaster(store);
        var agent = m.RegisterAgent();
        store.Hold = w => w == "PutAgent";

        var reregister = Task.Run(() => m.Core.RegisterAgent(TestMaster.AgentRequest(agent)));
        Assert.True(store.Entered.Wait(Patience), "the re-registration never reached the store");
        store.Hold = null;
        var gone = Task.Run(() => m.Core.MarkAgentGone(agent));
        Assert.True(SpinWait.SpinUntil(() => m.Core.QueuedWrites == 1, Patience), "the gone list was never queued behind the registration");
        store.Release();

        // Either order of applying is one the store agrees with, but the gone mark, written last, must win.
        Assert.Null(await gone.WaitAsync(Patience));
        var (response, error) = await reregister.WaitAsync(Patience);
        Assert.True(response is not null || error!.Status == 403, $"unexpected answer {error?.Status}");
        Assert.Equal(AgentStatus.Unreachable, m.Core.View.Agents[agent].Status);
        Assert.Equal(403, m.Core.RegisterAgent(TestMaster.AgentRequest(agent)).Error!.Status);
    }

    [Fact]
    public async Task RegisterAgent_TermEndsWhileItsWriteIsInTheStore_Refused503AndNotApplied()
    {
        using var store = new HoldingMasterStore();
        var m = new TestMaster(store);
        store.Hold = w => w == "PutAgent";

        var register = Task.Run(() => m.Core.RegisterAgent(TestMaster.AgentRequest()));
        Assert.True(store.Entered.Wait(Patience), "the registration never reached the store");
        var stepDown = Task.Run(m.Core.StepDown);
        Assert.True(SpinWait.SpinUntil(() => m.Core.IsStandby, Patience), "the master never stepped down");
        await stepDown.WaitAsync(Patience);
        store.Release();

        var (response, error) = await register.WaitAsync(Patience);
        Assert.Null(response);
        Assert.Equal(503, error!.Status);
        Assert.Empty(m.Core.View.Agents);
    }

    /// <summary>The call has its write inside the store: it has not answered, and the lock and the state document are free.</summary>
    private static async Task AssertHeldWhileMasterAnswersAsync(TestMaster m, HoldingMasterStore store, Task call)
    {
        Assert.True(store.Entered.Wait(Patience), "the call's write never reached the store");
        var version = await Task.Run(() => m.Core.Read(c => c.View.Version)).WaitAsync(Patience);
        Assert.True(version > 0);
        Assert.NotEmpty(await Task.Run(m.Core.StateDocument).WaitAsync(Patience));
        Assert.False(call.IsCompleted, "the call answered before its write was stored");
    }
}
