using System.Text.Json;
using Minuet.ControlPlane.Api.V1;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Api.V1;

/// <summary>
/// Each call and event against Mesos's field names (include/mesos/v1/scheduler/scheduler.proto, mesos.proto) in
/// protobuf's JSON mapping: exact bytes for what the master writes, parsed fields for what frameworks send.
/// </summary>
public class V1JsonGoldenTests
{
    private static readonly MasterOptions Options = new() { AdvertiseIp = "10.0.0.5", Port = 5050, Hostname = "m1" };

    private static string Json(V1Event e) => JsonSerializer.Serialize(e, V1JsonContext.Default.V1Event);

    private static string Json(V1Call c) => JsonSerializer.Serialize(c, V1JsonContext.Default.V1Call);

    private static V1Event Event(SchedulerEvent e, bool partitionAware = true) => V1EventMapping.ToV1(e, Options, "M1", partitionAware)!;

    [Fact]
    public void Subscribed_HasFrameworkIdHeartbeatAndMasterInfo()
    {
        var e = Event(new SchedulerEvent { Type = "SUBSCRIBED", Subscribed = new SubscribedEvent("F1", 15, "M1", "master@10.0.0.5:5050") });
        Assert.Equal(
            Q("{'type':'SUBSCRIBED','subscribed':{'framework_id':{'value':'F1'},'heartbeat_interval_seconds':15,") +
            Q("'master_info':{'id':'M1','ip':83886090,'port':5050,'pid':'master@10.0.0.5:5050','hostname':'m1','version':'1.11.0',") +
            Q("'address':{'hostname':'m1','ip':'10.0.0.5','port':5050}}}}"),
            Json(e));
    }

    [Fact]
    public void Offers_HaveUrlResourcesByRoleAndAttributes()
    {
        var e = Event(new SchedulerEvent
        {
            Type = "OFFERS",
            Offers =
            [
                new OfferInfo
                {
                    Id = "O1", FrameworkId = "F1", AgentId = "S1", Hostname = "a1", Address = "10.0.0.6", Port = 5051, Role = "web",
                    Resources = new ResourceSet { Cpus = 4, Mem = 8192, Ports = [new PortRange(31000, 32000)] },
                    ReservedResources = new ResourceSet { Cpus = 1 },
                    Attributes = new Dictionary<string, string> { ["rack"] = "r1", ["zone"] = "2" },
                },
            ],
        });
        Assert.Equal(
            Q("{'type':'OFFERS','offers':{'offers':[{'id':{'value':'O1'},'framework_id':{'value':'F1'},'agent_id':{'value':'S1'},'hostname':'a1',") +
            Q("'url':{'scheme':'http','address':{'hostname':'a1','ip':'10.0.0.6','port':5051},'path':'/slave(1)'},'resources':[") +
            Q("{'name':'cpus','type':'SCALAR','scalar':{'value':3},'role':'*','allocation_info':{'role':'web'}},") +
            Q("{'name':'mem','type':'SCALAR','scalar':{'value':8192},'role':'*','allocation_info':{'role':'web'}},") +
            Q("{'name':'ports','type':'RANGES','ranges':{'range':[{'begin':31000,'end':32000}]},'role':'*','allocation_info':{'role':'web'}},") +
            Q("{'name':'cpus','type':'SCALAR','scalar':{'value':1},'role':'web','allocation_info':{'role':'web'},'reservations':[{'type':'STATIC','role':'web'}]}],") +
            Q("'attributes':[{'name':'rack','type':'TEXT','text':{'value':'r1'}},{'name':'zone','type':'SCALAR','scalar':{'value':2}}],") +
            Q("'allocation_info':{'role':'web'}}]}}"),
            Json(e));
    }

    [Fact]
    public void Update_HasStatusWithBase64UuidAndContainerStatus()
    {
        var e = Event(new SchedulerEvent
        {
            Type = "UPDATE",
            Update = new SchedulerStatus
            {
                TaskId = "t1", FrameworkId = "F1", AgentId = "S1", ExecutorId = "t1", State = "TASK_RUNNING", Source = "SOURCE_EXECUTOR",
                Healthy = true, Timestamp = 1700000042.5, Uuid = "85b68b43-46f9-4353-99b9-a6fb41c9d329",
                ContainerStatus = new ContainerStatus { NetworkInfos = [new NetworkInfo { IpAddresses = [new IpAddressInfo { IpAddress = "10.0.0.6" }] }] },
            },
        });
        Assert.Equal(
            Q("{'type':'UPDATE','update':{'status':{'task_id':{'value':'t1'},'state':'TASK_RUNNING','source':'SOURCE_EXECUTOR','agent_id':{'value':'S1'},") +
            Q("'executor_id':{'value':'t1'},'timestamp':1700000042.5,'uuid':'hbaLQ0b5Q1OZuab7QcnTKQ==','healthy':true,") +
            Q("'container_status':{'network_infos':[{'ip_addresses':[{'protocol':'IPv4','ip_address':'10.0.0.6'}],'groups':[],'port_mappings':[]}]}}}}"),
            Json(e));
    }

    [Fact]
    public void Update_WithoutAckOrPartitionAwareness_HasNoUuidAndSaysLost()
    {
        var e = Event(new SchedulerEvent
        {
            Type = "UPDATE",
            Update = new SchedulerStatus { TaskId = "t1", FrameworkId = "F1", State = "TASK_UNREACHABLE", Reason = "REASON_RECONCILIATION", Timestamp = 1 },
        }, partitionAware: false);
        Assert.Equal(
            """{"type":"UPDATE","update":{"status":{"task_id":{"value":"t1"},"state":"TASK_LOST","source":"SOURCE_MASTER","reason":"REASON_RECONCILIATION","timestamp":1}}}""",
            Json(e));
    }

    [Theory]
    [InlineData("RESCIND", """{"type":"RESCIND","rescind":{"offer_id":{"value":"O1"}}}""")]
    [InlineData("HEARTBEAT", """{"type":"HEARTBEAT"}""")]
    [InlineData("ERROR", """{"type":"ERROR","error":{"message":"Framework has been removed"}}""")]
    [InlineData("FAILURE", """{"type":"FAILURE","failure":{"agent_id":{"value":"S1"}}}""")]
    public void SmallEvents_HaveMesosShapes(string type, string json)
    {
        var e = type switch
        {
            "RESCIND" => new SchedulerEvent { Type = type, RescindOfferId = "O1" },
            "ERROR" => new SchedulerEvent { Type = type, Message = "Framework has been removed" },
            "FAILURE" => new SchedulerEvent { Type = type, FailedAgentId = "S1" },
            _ => new SchedulerEvent { Type = type },
        };
        Assert.Equal(json, Json(Event(e)));
    }

    [Fact]
    public void Uuid_MesosBase64_RoundTripsThroughMinuetsForm()
    {
        const string mesos = "hTaLQ0b5Q1OZuab7QclTKQ==";
        var minuet = V1Statuses.FromV1Uuid(mesos);
        Assert.NotNull(minuet);
        Assert.Equal(mesos, V1Statuses.ToV1Uuid(minuet));
        Assert.Null(V1Statuses.FromV1Uuid("IWjmPnfgQCWxGVlNNwctcg"));
        Assert.Null(V1Statuses.FromV1Uuid("aaaaaaaaaaaaaaaaaaaaaaaaaaaa=="));
    }

    [Fact]
    public void Calls_DocExamples_ParseToMesosFields()
    {
        // The examples of the notes (from Mesos's scheduler-http-api.md, corrected to the proto).
        var subscribe = Parse("""{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"foo","name":"fw","roles":["r1"],"failover_timeout":604800}}}""");
        Assert.Equal("foo", subscribe.Subscribe!.FrameworkInfo!.User);
        Assert.Equal(["r1"], subscribe.Subscribe.FrameworkInfo.Roles!);
        Assert.Equal(604800, subscribe.Subscribe.FrameworkInfo.FailoverTimeout);

        var accept = Parse("""
            {"type":"ACCEPT","framework_id":{"value":"F1"},"accept":{"offer_ids":[{"value":"O1"}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[
              {"name":"t","task_id":{"value":"t1"},"agent_id":{"value":"S1"},"command":{"value":"sleep 9"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":1.0}}]}]}}],
             "filters":{"refuse_seconds":"Infinity"}}}
            """);
        var task = accept.Accept!.Operations![0].Launch!.TaskInfos![0];
        var errors = new FieldErrorList();
        var spec = V1Tasks.ToSpec(task, "S1", errors);
        Assert.False(errors.Any);
        Assert.Equal("t1", spec!.TaskId);
        Assert.Equal("sleep 9", spec.Command!.Value);
        Assert.Equal(1, spec.Resources!.Cpus);
        Assert.True(double.IsPositiveInfinity(accept.Accept.Filters!.RefuseSeconds!.Value));

        var ack = Parse("""{"type":"ACKNOWLEDGE","framework_id":{"value":"F1"},"acknowledge":{"agent_id":{"value":"S1"},"task_id":{"value":"t1"},"uuid":"hTaLQ0b5Q1OZuab7QclTKQ=="}}""");
        Assert.Null(V1CallValidation.Validate(ack));
        Assert.Equal("t1", ack.Acknowledge!.TaskId!.Value);
    }

    [Fact]
    public void Calls_NullsForUnsetFieldsAndUnknownKeys_AreIgnored()
    {
        // mesos-framework (npm) sends null for every unset field and [] for empty lists; Mesos ignores unknown keys.
        var call = Parse("""
            {"type":"SUBSCRIBE","framework_id":null,"future_field":{"x":1},"subscribe":{"framework_info":{"user":"root","name":"n","id":null,"failover_timeout":60,
             "checkpoint":null,"role":null,"hostname":null,"principal":null,"webui_url":null,"capabilities":null,"labels":null}}}
            """);
        Assert.Null(V1CallValidation.Validate(call));
        Assert.Null(call.Subscribe!.FrameworkInfo!.Id);
    }

    [Fact]
    public void TaskInfo_WithExecutorContainerHealthCheckAndKillPolicy_MapsToTheLaunch()
    {
        var call = Parse("""
            {"type":"ACCEPT","framework_id":{"value":"F1"},"accept":{"offer_ids":[{"value":"O1"}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[
              {"name":"t","task_id":{"value":"t1"},"agent_id":{"value":"S1"},"data":"aGk=",
               "executor":{"type":"CUSTOM","executor_id":{"value":"e1"},"command":{"value":"./exec"},"resources":[{"name":"mem","type":"SCALAR","scalar":{"value":32}}]},
               "container":{"type":"DOCKER","docker":{"image":"busybox","network":"BRIDGE","port_mappings":[{"host_port":31000,"container_port":80}]}},
               "health_check":{"type":"HTTP","http":{"port":80,"path":"/ok"},"consecutive_failures":2},
               "discovery":{"visibility":"FRAMEWORK","name":"t","ports":{"ports":[{"number":80,"protocol":"tcp","labels":{"labels":[{"key":"VIP_0","value":"/t:80"}]}}]}},
               "kill_policy":{"grace_period":{"nanoseconds":"1500000000"}},
               "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.5}}]}]}}]}}
            """);
        var errors = new FieldErrorList();
        var spec = V1Tasks.ToSpec(call.Accept!.Operations![0].Launch!.TaskInfos![0], "S1", errors);
        Assert.False(errors.Any, string.Join("; ", errors.ToList().Select(e => e.Path)));
        Assert.Equal("e1", spec!.Executor!.ExecutorId);
        Assert.Equal("./exec", spec.Executor.Command.Value);
        Assert.Equal(32, spec.Executor.Resources!.Mem);
        Assert.Equal("aGk=", spec.Data);
        Assert.Equal("busybox", spec.Container!.Docker!.Image);
        Assert.Equal(31000, spec.Container.Docker.PortMappings[0].HostPort);
        Assert.Equal("/ok", spec.HealthCheck!.Http!.Path);
        Assert.Equal(2, spec.HealthCheck.ConsecutiveFailures);
        Assert.True(spec.HealthCheck.KillOnUnhealthy);
        Assert.Equal(10, spec.HealthCheck.IntervalSeconds); // Mesos's default, not Marathon's
        Assert.Equal("/t:80", spec.Discovery!.Ports!.Ports[0].Labels!.Labels[0].Value);
        Assert.Equal(1.5, spec.KillGracePeriodSeconds);
    }

    [Theory]
    [InlineData("""{"name":"t","task_id":{"value":"t"},"agent_id":{"value":"S1"},"resources":[]}""", "/command")]
    [InlineData("""{"name":"t","task_id":{"value":"t"},"agent_id":{"value":"S2"},"command":{"value":"x"}}""", "/agent_id")]
    [InlineData("""{"task_id":{"value":"t"},"agent_id":{"value":"S1"},"command":{"value":"x"}}""", "/name")]
    [InlineData("""{"name":"t","task_id":{"value":"t"},"agent_id":{"value":"S1"},"command":{"value":"x","uris":[{"value":"http://x/y.tgz"}]}}""", "/command/uris")]
    [InlineData("""{"name":"t","task_id":{"value":"t"},"agent_id":{"value":"S1"},"command":{"value":"x"},"resources":[{"name":"cpus","type":"RANGES"}]}""", "/resources/0/type")]
    [InlineData("""{"name":"t","task_id":{"value":"t"},"agent_id":{"value":"S1"},"command":{"value":"x"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":-1}}]}""", "/resources/0/scalar")]
    public void TaskInfo_Invalid_NamesTheField(string taskJson, string path)
    {
        var info = JsonSerializer.Deserialize(taskJson, V1JsonContext.Default.V1TaskInfo)!;
        var errors = new FieldErrorList();
        Assert.Null(V1Tasks.ToSpec(info, "S1", errors));
        Assert.Contains(errors.ToList(), e => e.Path == path);
    }

    [Fact]
    public void SchedulerCalls_AreMesosCalls()
    {
        // What Minuet's own scheduler sends over HTTP.
        Assert.Equal(
            Q("{'framework_id':{'value':'F1'},'type':'SUBSCRIBE','subscribe':{'framework_info':{'user':'root','name':'marathon','id':{'value':'F1'},") +
            Q("'failover_timeout':604800,'checkpoint':true,'role':'*','capabilities':[{'type':'PARTITION_AWARE'}]}}}"),
            Json(V1CallBuilder.Subscribe(new SubscribeRequest { FrameworkId = "F1", Name = "marathon" })));
        Assert.Equal(
            Q("{'framework_id':{'value':'F1'},'type':'ACCEPT','accept':{'offer_ids':[{'value':'O1'}],'operations':[{'type':'LAUNCH','launch':{'task_infos':[") +
            Q("{'name':'web','task_id':{'value':'web.1'},'agent_id':{'value':'S1'},'resources':[{'name':'cpus','type':'SCALAR','scalar':{'value':0.5}},") +
            Q("{'name':'ports','type':'RANGES','ranges':{'range':[{'begin':31000,'end':31000}]}}],'command':{'shell':true,'value':'serve'},") +
            Q("'kill_policy':{'grace_period':{'nanoseconds':3000000000}}}]}}],'filters':{'refuse_seconds':5}}}"),
            Json(V1CallBuilder.Accept("F1", new AcceptRequest
            {
                OfferIds = ["O1"],
                Tasks = [new TaskSpec { TaskId = "web.1", Name = "web", Command = new TaskCommand { Value = "serve" }, Resources = new ResourceSet { Cpus = 0.5, Ports = [new PortRange(31000, 31000)] }, KillGracePeriodSeconds = 3 }],
                Filters = new OfferFilters(5),
            }, "S1")));
        Assert.Equal(
            """{"framework_id":{"value":"F1"},"type":"DECLINE","decline":{"offer_ids":[{"value":"O1"}],"filters":{"refuse_seconds":120}}}""",
            Json(V1CallBuilder.Decline("F1", new DeclineRequest { OfferIds = ["O1"], Filters = new OfferFilters(120) })));
        Assert.Equal(
            """{"framework_id":{"value":"F1"},"type":"KILL","kill":{"task_id":{"value":"t1"}}}""",
            Json(V1CallBuilder.Kill("F1", new KillRequest { TaskId = "t1" })));
        Assert.Equal(
            """{"framework_id":{"value":"F1"},"type":"ACKNOWLEDGE","acknowledge":{"agent_id":{"value":"S1"},"task_id":{"value":"t1"},"uuid":"hbaLQ0b5Q1OZuab7QcnTKQ=="}}""",
            Json(V1CallBuilder.Acknowledge("F1", new AcknowledgeRequest { TaskId = "t1", AgentId = "S1", Uuid = "85b68b43-46f9-4353-99b9-a6fb41c9d329" })));
        Assert.Equal(
            """{"framework_id":{"value":"F1"},"type":"RECONCILE","reconcile":{"tasks":[{"task_id":{"value":"t1"},"agent_id":{"value":"S1"}}]}}""",
            Json(V1CallBuilder.Reconcile("F1", new ReconcileRequest { Tasks = [new ReconcileTask("t1", "S1")] })));
    }

    [Fact]
    public void Offers_FromV1_BackToTheSchedulersOffer()
    {
        var json = """
            {"type":"OFFERS","offers":{"offers":[{"id":{"value":"O1"},"framework_id":{"value":"F1"},"agent_id":{"value":"S1"},"hostname":"a1",
             "url":{"scheme":"http","address":{"ip":"10.0.0.5","port":5051}},"allocation_info":{"role":"web"},
             "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":4.0},"role":"*"},{"name":"mem","type":"SCALAR","scalar":{"value":8192.0},"role":"*"},
              {"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":32000}]},"role":"*"},
              {"name":"cpus","type":"SCALAR","scalar":{"value":1.0},"reservations":[{"type":"DYNAMIC","role":"web","principal":"p"}]},
              {"name":"foo","type":"SET","set":{"item":["a"]}}],
             "attributes":[{"name":"rack","type":"TEXT","text":{"value":"r1"}}]}]}}
            """;
        var e = V1EventMapping.FromV1(JsonSerializer.Deserialize(json, V1JsonContext.Default.V1Event)!, "F1");
        var offer = Assert.Single(e.Offers!);
        Assert.Equal("10.0.0.5", offer.Address);
        Assert.Equal("web", offer.Role);
        Assert.Equal(5, offer.Resources.Cpus);
        Assert.Equal(1, offer.ReservedResources!.Cpus);
        Assert.Equal([new PortRange(31000, 32000)], offer.Resources.Ports);
        Assert.Equal("r1", offer.Attributes["rack"]);
    }

    /// <summary>Golden JSON written with single quotes (raw literals cannot start or end with a quote).</summary>
    private static string Q(string json) => json.Replace('\'', '"');

    private static V1Call Parse(string json) => JsonSerializer.Deserialize(json, V1JsonContext.Default.V1Call)!;
}
