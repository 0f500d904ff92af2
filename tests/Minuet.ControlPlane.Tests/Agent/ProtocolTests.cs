using System.Text.Json;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Agent;

public sealed class ProtocolTests
{
    [Fact]
    public void LaunchTask_RoundTrip_UsesSnakeCaseAndMesosNesting()
    {
        var launch = new LaunchTaskRequest
        {
            TaskId = "t1",
            Name = "web",
            FrameworkId = "fw",
            AgentId = "m-S0",
            Command = new CommandInfo { Value = "serve" },
            Resources = new ResourceSet { Cpus = 0.1, Mem = 32, Ports = [new PortRange(31001, 31001)] },
            Discovery = new DiscoveryInfo
            {
                Name = "web",
                Ports = new DiscoveryPorts
                {
                    Ports = [new DiscoveryPort { Number = 31001, Protocol = "tcp", Labels = new LabelList { Labels = [new Label("VIP_0", "/web:80")] } }],
                },
            },
            KillGracePeriodSeconds = 5,
        };

        string json = JsonSerializer.Serialize(launch, ProtocolJsonContext.Default.LaunchTaskRequest);
        var back = JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.LaunchTaskRequest);

        Assert.Contains("\"task_id\":\"t1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kill_grace_period_seconds\":5", json, StringComparison.Ordinal);
        Assert.Contains("\"ports\":{\"ports\":[{\"number\":31001", json, StringComparison.Ordinal);
        Assert.Contains("\"labels\":{\"labels\":[{\"key\":\"VIP_0\",\"value\":\"/web:80\"}]}", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"count\"", json, StringComparison.Ordinal);
        Assert.Equal("/web:80", back!.Discovery!.Ports!.Ports[0].Labels!.Labels[0].Value);
        Assert.Equal(31001, back.Resources.Ports[0].Begin);
    }

    [Fact]
    public void StatusUpdate_Serialized_HasMesosStateNameAndNoParsedState()
    {
        var update = new TaskStatusUpdate
        {
            Uuid = "u", TaskId = "t", FrameworkId = "f", AgentId = "a", State = "TASK_RUNNING", Healthy = true, Timestamp = 1.5,
            ContainerStatus = new ContainerStatus { NetworkInfos = [new NetworkInfo { IpAddresses = [new IpAddressInfo { IpAddress = "198.19.128.2" }] }] },
        };

        string json = JsonSerializer.Serialize(update, ProtocolJsonContext.Default.TaskStatusUpdate);

        Assert.Contains("\"state\":\"TASK_RUNNING\"", json, StringComparison.Ordinal);
        Assert.Contains("\"network_infos\":[{\"ip_addresses\":[{\"protocol\":\"IPv4\",\"ip_address\":\"198.19.128.2\"}]", json, StringComparison.Ordinal);
        Assert.DoesNotContain("parsed_state", json, StringComparison.Ordinal);
        Assert.Equal(Minuet.ControlPlane.Master.TaskState.Running, update.ParsedState);
    }

    [Fact]
    public void Validate_BadRegistration_NamesEveryField()
    {
        var request = new RegisterAgentRequest
        {
            Hostname = "",
            Address = "agent.example",
            Port = 0,
            Resources = new ResourceSet { Cpus = -1, Ports = [new PortRange(10, 5)] },
        };

        var paths = ProtocolValidator.Validate(request).Select(e => e.Path).ToList();

        Assert.Equal(["/hostname", "/address", "/port", "/resources/cpus", "/resources/ports/0"], paths);
    }

    [Fact]
    public void Validate_BadLaunch_NamesFieldsIncludingHealthCheck()
    {
        var launch = new LaunchTaskRequest
        {
            TaskId = "../x",
            Name = "n",
            FrameworkId = "f",
            AgentId = "a",
            Command = new CommandInfo { Shell = false },
            Resources = new ResourceSet(),
            HealthCheck = new HealthCheck { Type = "TCP", IntervalSeconds = 0 },
            KillGracePeriodSeconds = -1,
        };

        var paths = ProtocolValidator.Validate(launch).Select(e => e.Path).ToList();

        Assert.Equal(["/task_id", "/command/arguments", "/kill_grace_period_seconds", "/health_check/tcp/port", "/health_check/interval_seconds"], paths);
    }

    [Fact]
    public void Validate_StatusWithUnknownState_IsRejected()
    {
        var errors = ProtocolValidator.Validate(new TaskStatusUpdate { Uuid = "u", TaskId = "t", FrameworkId = "f", AgentId = "a", State = "RUNNING" });

        Assert.Equal("/state", Assert.Single(errors).Path);
    }
}

public sealed class ProtocolDefaultsTests
{
    [Fact]
    public void Deserialize_MissingFields_KeepDocumentedDefaults()
    {
        var command = JsonSerializer.Deserialize("{\"value\":\"echo hi\"}", ProtocolJsonContext.Default.CommandInfo);
        var check = JsonSerializer.Deserialize("{\"type\":\"TCP\",\"tcp\":{\"port\":80}}", ProtocolJsonContext.Default.HealthCheck);
        var register = JsonSerializer.Deserialize(
            "{\"hostname\":\"h\",\"address\":\"127.0.0.1\",\"resources\":{\"cpus\":1}}", ProtocolJsonContext.Default.RegisterAgentRequest);

        Assert.True(command!.Shell);
        Assert.NotNull(command.Arguments);
        Assert.Equal(60, check!.IntervalSeconds);
        Assert.Equal(20, check.TimeoutSeconds);
        Assert.Equal(3, check.ConsecutiveFailures);
        Assert.Equal(300, check.GracePeriodSeconds);
        Assert.Equal(5051, register!.Port);
        Assert.Empty(register.Tasks);
        Assert.Empty(register.Resources.Ports);
    }
}
