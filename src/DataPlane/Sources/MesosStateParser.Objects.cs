using System.Text.Json;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Sources;

public static partial class MesosStateParser
{
    /// <summary>One <c>slaves[]</c> object, as a push-stream <c>agent</c> line carries it.</summary>
    internal static StateParseError? ParseAgentObject(JsonElement element, out AgentInfo? agent)
    {
        var agents = new List<AgentInfo>(1);
        var error = ParseAgent(element, agents);
        agent = error is null ? agents[0] : null;
        return error;
    }

    /// <summary>One <c>tasks[]</c> object, as a push-stream <c>task</c> line carries it.</summary>
    internal static StateParseError? ParseTaskObject(JsonElement element, string frameworkId, out TaskInfo? task)
    {
        var tasks = new List<TaskInfo>(1);
        var error = ParseTask(element, frameworkId, tasks);
        task = error is null ? tasks[0] : null;
        return error;
    }
}
