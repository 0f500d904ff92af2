using Microsoft.AspNetCore.Builder;
using Minuet.ControlPlane.Agent.Executors;
using Minuet.ControlPlane.Agent.Files;
using Minuet.ControlPlane.Agent.Runtime;

namespace Minuet.ControlPlane.Agent.Operator;

/// <summary>Mounts the agent's Mesos-compatible endpoints: operator <c>/api/v1</c>, v0 <c>/state</c>, the executor API and <c>/files</c>.</summary>
internal static class MesosAgentEndpoints
{
    public static void Map(WebApplication app, AgentRuntime runtime, AgentHostOptions options, string address)
    {
        var startTime = DateTimeOffset.UtcNow;
        AgentOperatorApi.Map(app, runtime, () => new AgentDescription
        {
            Hostname = runtime.Options.Hostname,
            Address = address,
            Port = runtime.AgentPort,
            Resources = options.Resources,
            Attributes = options.Attributes,
            Master = options.Master,
            StartTime = startTime,
        });
        ExecutorHttpApi.Map(app, runtime.Executors);
        FilesApi.Map(app, new SandboxFiles(() => runtime.SandboxRoots().ToDictionary(r => r, r => r, StringComparer.Ordinal)));
    }
}
