using System.Text.Json;
using System.Text.Json.Nodes;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Master.State;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Master.State;

public class MasterStateViewTests
{
    [Fact]
    public async Task StateDocument_WhileTheMasterLockIsHeld_RendersWithoutTheLock()
    {
        var m = new TestMaster();
        m.RunningTask();
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = new Thread(() =>
        {
            lock (m.Core.Gate)
            {
                held.Set();
                release.Wait();
            }
        });
        holder.Start();
        held.Wait();
        try
        {
            // The master lock is held by another thread the whole time: a render that needed it would time out.
            var bytes = await Task.Run(() => m.Core.StateDocument()).WaitAsync(TimeSpan.FromSeconds(60));
            using var doc = JsonDocument.Parse(bytes);
            Assert.Equal(1, doc.RootElement.GetProperty("running_tasks").GetInt32());
        }
        finally
        {
            release.Set();
            holder.Join();
        }
    }

    [Fact]
    public void StateDocument_NothingChanged_SameBytesWithoutRendering()
    {
        var m = new TestMaster();
        m.RunningTask();
        var first = m.Core.StateDocument();
        Assert.Same(first, m.Core.StateDocument());

        var agent = m.RegisterAgent("10.0.0.12");
        using var doc = JsonDocument.Parse(m.Core.StateDocument());
        Assert.Contains(doc.RootElement.GetProperty("slaves").EnumerateArray(), s => s.GetProperty("id").GetString() == agent);
    }

    [Fact]
    public void View_AfterEveryKindOfChange_EqualsAViewRebuiltFromScratch()
    {
        var m = new TestMaster();
        var steps = new List<(string Name, Action Change)>();
        string a1 = string.Empty, a2 = string.Empty, framework = string.Empty;
        FrameworkConnection connection = null!;
        List<OfferInfo> offers = [];
        steps.Add(("register agents", () => { a1 = m.RegisterAgent(); a2 = m.RegisterAgent("10.0.0.12"); }));
        steps.Add(("subscribe", () =>
        {
            (framework, connection) = m.Subscribe();
        }));
        steps.Add(("offers", () => offers = m.Offers(connection)));
        steps.Add(("accept", () =>
        {
            var offer = offers.First(o => o.AgentId == a1);
            Assert.Null(m.Core.Accept(framework, new AcceptRequest { OfferIds = [offer.Id], Tasks = [TestMaster.Task("t1"), TestMaster.Task("t2"), TestMaster.Task("t3")] }));
        }));
        steps.Add(("decline", () => Assert.Null(m.Core.Decline(framework, new DeclineRequest { OfferIds = [offers.First(o => o.AgentId == a2).Id] }))));
        steps.Add(("reserve", () => Assert.Null(m.Core.Reserve(new ReservationRequest { AgentId = a2, Role = "web", Resources = new ResourceSet { Cpus = 1 } }))));
        steps.Add(("running", () =>
        {
            foreach (var t in new[] { "t1", "t2", "t3" })
            {
                Assert.Null(m.Core.StatusUpdate(a1, m.Status(t, framework, a1, TaskState.Running, healthy: true)).Error);
            }
        }));
        steps.Add(("finished", () => Assert.Null(m.Core.StatusUpdate(a1, m.Status("t2", framework, a1, TaskState.Finished)).Error)));
        steps.Add(("acknowledged", () =>
        {
            foreach (var update in TestMaster.Drain(connection).Where(e => e.Type == "UPDATE").Select(e => e.Update!))
            {
                m.Core.Acknowledge(framework, new AcknowledgeRequest { TaskId = update.TaskId, Uuid = update.Uuid });
            }
        }));
        steps.Add(("suppress", () => Assert.Null(m.Core.Suppress(framework))));
        steps.Add(("revive and offers", () => { Assert.Null(m.Core.Revive(framework)); offers = m.Offers(connection); }));
        steps.Add(("agent lost", () =>
        {
            m.Time.Advance(TimeSpan.FromMinutes(5));
            Assert.Null(m.Core.Heartbeat(a2, new HeartbeatRequest { AgentId = a2 }).Error);
            m.Core.Tick(m.Time.Now);
        }));
        steps.Add(("agent back", () => Assert.Null(m.Core.RegisterAgent(TestMaster.AgentRequest(a1, tasks: [])).Error)));
        steps.Add(("disconnect", () => m.Core.Disconnect(connection)));
        steps.Add(("teardown", () => Assert.Null(m.Core.Teardown(framework))));

        foreach (var (name, change) in steps)
        {
            change();
            var published = Normalized(MasterStateWriter.Render(m.Core.View));
            var rebuilt = Normalized(m.Core.Read(core => MasterStateWriter.Render(new StateViewPublisher().Publish(core))));
            Assert.True(published == rebuilt, $"after '{name}' the published view differs from a rebuilt one:\n{published}\n---\n{rebuilt}");
        }
    }

    /// <summary>The document with every array of objects that have an id sorted by id (order is not part of the contract).</summary>
    private static string Normalized(byte[] document)
    {
        var root = JsonNode.Parse(document)!;
        Sort(root);
        return root.ToJsonString();
    }

    private static void Sort(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o.ToList())
                {
                    Sort(value);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Sort(item);
                }

                if (a.Count > 1 && a.All(i => i is JsonObject x && x["id"] is JsonValue))
                {
                    var sorted = a.OrderBy(i => i!["id"]!.ToJsonString(), StringComparer.Ordinal).Select(i => i!.DeepClone()).ToList();
                    a.Clear();
                    foreach (var item in sorted)
                    {
                        a.Add(item);
                    }
                }

                break;
        }
    }
}
