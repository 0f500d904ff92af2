using System.Text.Json;
using Minuet.ControlPlane.Api.V1;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Master;

/// <summary>Framework ↔ executor messages through the master: relayed once, dropped (never queued) when a side is not connected.</summary>
public class MasterCoreMessageTests
{
    [Fact]
    public void MessageToExecutor_RegisteredAgent_IsSentToThatAgentOnce()
    {
        var m = new TestMaster();
        string agent = m.RegisterAgent("10.0.0.11");
        var (framework, _) = m.Subscribe();

        m.Core.MessageToExecutor(framework, agent, "exec-1", "aGk=");

        var (endpoint, message) = Assert.Single(m.Dispatcher.Messages);
        Assert.Equal(new AgentEndpoint(agent, "10.0.0.11", 5051), endpoint);
        Assert.Equal(new FrameworkMessage { FrameworkId = framework, ExecutorId = "exec-1", Data = "aGk=" }, message);
    }

    [Fact]
    public void MessageToExecutor_UnknownOrUnreachableAgent_IsDropped()
    {
        var m = new TestMaster();
        string agent = m.RegisterAgent();
        var (framework, _) = m.Subscribe();
        Assert.Null(m.Core.MarkAgentGone(agent));

        m.Core.MessageToExecutor(framework, "no-such-agent", "exec-1", "aGk=");
        m.Core.MessageToExecutor(framework, agent, "exec-1", "aGk=");

        Assert.Empty(m.Dispatcher.Messages);
    }

    [Fact]
    public void MessageFromExecutor_ConnectedFramework_GetsMessageEventInMesosJson()
    {
        var m = new TestMaster();
        string agent = m.RegisterAgent();
        var (framework, connection) = m.Subscribe();
        TestMaster.Drain(connection);

        Assert.Null(m.Core.MessageFromExecutor(agent, new FrameworkMessage { FrameworkId = framework, ExecutorId = "exec-1", Data = "cG9uZw==" }));

        var e = Assert.Single(TestMaster.Drain(connection), e => e.Type == "MESSAGE");
        var v1 = V1EventMapping.ToV1(e, m.Core.Options, m.Core.MasterId, partitionAware: false)!;
        string json = JsonSerializer.Serialize(v1, V1JsonContext.Default.V1Event);
        Assert.Equal("{\"type\":\"MESSAGE\",\"message\":{\"agent_id\":{\"value\":\"" + agent + "\"},\"executor_id\":{\"value\":\"exec-1\"},\"data\":\"cG9uZw==\"}}", json);
    }

    [Fact]
    public void MessageFromExecutor_UnknownAgent_Is404SoTheAgentReregisters()
    {
        var m = new TestMaster();
        var (framework, _) = m.Subscribe();

        var error = m.Core.MessageFromExecutor("no-such-agent", new FrameworkMessage { FrameworkId = framework, ExecutorId = "e", Data = "eA==" });

        Assert.Equal(404, error!.Status);
        Assert.Equal(ProtocolErrorCodes.UnknownAgent, error.Code);
    }
}
