using System.Text;
using Minuet.DataPlane.Model;
using Minuet.DataPlane.Sources;

namespace Minuet.DataPlane.Tests.Sources;

public class MesosStateParserTests
{
    [Theory]
    [InlineData(StateFixtures.Current)]
    [InlineData(StateFixtures.Dcos113)]
    public void Parse_ReferenceDocument_ReadsLeaderAgentsAndFrameworks(string file)
    {
        var state = StateFixtures.Load(file);

        Assert.Equal("master@1.2.3.4:5050", state.Leader);
        Assert.Equal(
            ["slave(1)@1.2.3.10:5051", "slave(1)@1.2.3.11:5051", "slave(1)@1.2.3.12:5051", "slave(1)@[2001:db8::1]:5051"],
            state.Agents.Select(a => a.Pid));
        Assert.Equal("20140803-194712-3041283216-5050-2116-3", state.Agents[3].Id);
        Assert.Equal(
            ["ipv6-framework", "chronos with a space AND MIXED CASE-2.0.1", "no pid", "marathon"],
            state.Frameworks.Select(f => f.Name));
        Assert.Null(state.Frameworks[2].Pid);
        Assert.Equal("localhost", state.Frameworks[2].Hostname);
        Assert.Equal(8, state.Frameworks[3].Tasks.Count);
    }

    [Theory]
    [InlineData(StateFixtures.Current)]
    [InlineData(StateFixtures.Dcos113)]
    public void Parse_ReferenceDocument_ReadsTaskDetails(string file)
    {
        var marathon = StateFixtures.Load(file).Frameworks[3];
        var poseidon = marathon.Tasks[0];
        var liquor = marathon.Tasks[1];
        var nginx = marathon.Tasks.Single(t => t.Name == "nginx");

        Assert.Equal("TASK_KILLED", poseidon.State);
        Assert.False(poseidon.IsRunning);
        Assert.Equal([new PortRange(31354, 31354), new PortRange(31355, 31355)], liquor.Ports);
        Assert.Equal("20140803-125133-3041283216-5050-2410-0", liquor.AgentId);
        Assert.Equal(marathon.Id, liquor.FrameworkId);
        Assert.Equal("liquor.store", liquor.Discovery!.Name);
        Assert.Equal(
            [(80, "tcp", "http"), (443, "tcp", "https")],
            liquor.Discovery.Ports.Select(p => (p.Number, p.Protocol, p.Name)));
        Assert.Equal(4, liquor.Statuses.Count);
        Assert.Equal(1413572390.09275, liquor.Statuses[1].Timestamp);
        Assert.Contains(new Label("Docker.NetworkSettings.IPAddress", "10.3.0.1"), liquor.Statuses[1].Labels);
        Assert.Empty(nginx.Ports);
        Assert.Contains(new Label("MesosContainerizer.NetworkSettings.IPAddress", "10.3.0.3"), nginx.Statuses[0].Labels);
    }

    [Fact]
    public void Parse_NetworkInfos_CollectsEveryAddressInOrder()
    {
        var current = StateFixtures.Load(StateFixtures.Current).Frameworks[0].Tasks[0].Statuses[0];
        var old = StateFixtures.Load(StateFixtures.Dcos113).Frameworks[0].Tasks[0].Statuses[0];

        Assert.Equal(["12.0.1.3", "12.0.1.2", "fd01:b::1:8000:2"], current.NetworkIpAddresses);
        Assert.Equal(["12.0.1.2", "fd01:b::1:8000:2"], old.NetworkIpAddresses);
    }

    [Fact]
    public void Parse_NewMesosShapes_ReadsLabelObjectsRangeObjectsAndLegacyIp()
    {
        const string Json = """
            {"leader":"master@10.0.0.1:5050",
             "slaves":[{"id":"a-S1","pid":"slave(1)@10.0.0.2:5051","hostname":"agent1"}],
             "frameworks":[{"id":"fw","name":"marathon","pid":"scheduler@10.0.0.3:8080","tasks":[
               {"id":"web.1","name":"web","slave_id":"a-S1","state":"TASK_RUNNING",
                "resources":{"ports":{"ranges":{"range":[{"begin":31000,"end":31001}]}}},
                "labels":{"labels":[{"key":"k","value":"v"}]},
                "discovery":{"name":"web","ports":{"ports":[{"number":80,"protocol":"tcp","name":"http",
                   "labels":{"labels":[{"key":"VIP_0","value":"/web:80"}]}}]}},
                "statuses":[{"state":"TASK_RUNNING","timestamp":5,"healthy":true,
                   "container_status":{"network_infos":[{"ip_address":"9.9.9.9"}]}}]}]}]}
            """;
        var result = MesosStateParser.Parse(Encoding.UTF8.GetBytes(Json), version: 7);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        var task = result.State.Frameworks[0].Tasks[0];
        Assert.Equal(7, result.State.Version);
        Assert.Equal([new PortRange(31000, 31001)], task.Ports);
        Assert.Equal([new Label("k", "v")], task.Labels);
        Assert.Equal([new Label("VIP_0", "/web:80")], task.Discovery!.Ports[0].Labels);
        Assert.True(task.Statuses[0].Healthy);
        Assert.Equal(["9.9.9.9"], task.Statuses[0].NetworkIpAddresses);
    }

    [Theory]
    [InlineData("[1,2]", "$", "expected an object")]
    [InlineData("{\"leader\":5,\"slaves\":[]}", "leader", "expected a string")]
    [InlineData("{\"message\":\"upstream timed out\"}", "$", "not a Mesos state document")]
    [InlineData("{}", "$", "not a Mesos state document")]
    [InlineData("{\"slaves\":{}}", "slaves", "expected an array")]
    [InlineData("{\"slaves\":[{\"pid\":\"x\"}]}", "slaves[0].id", "required field is missing")]
    [InlineData("{\"frameworks\":[{\"name\":\"m\",\"tasks\":[{\"id\":\"t\",\"slave_id\":\"s\"}]}]}", "frameworks[0].tasks[0].state", "required field is missing")]
    [InlineData("{\"frameworks\":[{\"tasks\":[{\"id\":\"t\",\"slave_id\":\"s\",\"state\":\"TASK_RUNNING\",\"resources\":{\"ports\":\"[31000-x]\"}}]}]}", "frameworks[0].tasks[0].resources.ports", "bad range")]
    [InlineData("{\"frameworks\":[{\"tasks\":[{\"id\":\"t\",\"slave_id\":\"s\",\"state\":\"TASK_RUNNING\",\"resources\":{\"ports\":\"[2-1]\"}}]}]}", "frameworks[0].tasks[0].resources.ports", "begins after it ends")]
    [InlineData("{\"frameworks\":[{\"tasks\":[{\"id\":\"t\",\"slave_id\":\"s\",\"state\":\"TASK_RUNNING\",\"statuses\":[{\"state\":\"TASK_RUNNING\",\"timestamp\":\"now\"}]}]}]}", "frameworks[0].tasks[0].statuses[0].timestamp", "expected a number")]
    [InlineData("{\"frameworks\":[{\"tasks\":[{\"id\":\"t\",\"slave_id\":\"s\",\"state\":\"TASK_RUNNING\",\"discovery\":{\"ports\":{\"ports\":[{\"number\":70000}]}}}]}]}", "frameworks[0].tasks[0].discovery.ports.ports[0].number", "0-65535")]
    [InlineData("{\"frameworks\":[{\"tasks\":[{\"id\":\"t\",\"slave_id\":\"s\",\"state\":\"TASK_RUNNING\",\"statuses\":[{\"state\":\"TASK_RUNNING\",\"labels\":[{\"value\":\"v\"}]}]}]}]}", "frameworks[0].tasks[0].statuses[0].labels[0].key", "required field is missing")]
    [InlineData("{\"frameworks\":[{\"tasks\":[{\"id\":\"t\",\"slave_id\":\"s\",\"state\":\"TASK_RUNNING\",\"statuses\":[{\"state\":\"TASK_RUNNING\",\"container_status\":{\"network_infos\":[{\"ip_addresses\":[{\"ip_address\":7}]}]}}]}]}]}", "frameworks[0].tasks[0].statuses[0].container_status.network_infos[0].ip_addresses[0].ip_address", "expected a string")]
    public void Parse_InvalidDocument_NamesFieldPathAndReason(string json, string path, string reason)
    {
        var result = MesosStateParser.Parse(Encoding.UTF8.GetBytes(json));

        Assert.False(result.IsSuccess);
        Assert.Equal(path, result.Error.Path);
        Assert.Contains(reason, result.Error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"frameworks\":[}")]
    [InlineData("nul")]
    public void Parse_MalformedJson_ReturnsErrorInsteadOfThrowing(string json)
    {
        var result = MesosStateParser.Parse(Encoding.UTF8.GetBytes(json));

        Assert.False(result.IsSuccess);
        Assert.Equal("$", result.Error.Path);
        Assert.StartsWith("not valid JSON", result.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EveryTruncationOfReferenceDocument_NeverThrows()
    {
        var bytes = StateFixtures.Bytes(StateFixtures.Current);
        for (int length = 0; length < bytes.Length; length += 97)
        {
            var result = MesosStateParser.Parse(bytes.AsMemory(0, length));
            Assert.False(result.IsSuccess);
        }
    }
}
