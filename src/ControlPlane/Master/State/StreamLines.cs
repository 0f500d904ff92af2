using System.Buffers;
using System.Text.Json;

namespace Minuet.ControlPlane.Master.State;

/// <summary>
/// The NDJSON lines of <c>GET /master/endpoints/stream</c> (format in Master/README.md): one JSON object per line
/// with <c>type</c> and <c>version</c>; objects are exactly the ones <c>/master/state</c> contains.
/// </summary>
internal static class StreamLines
{
    /// <summary>The snapshot line of a published view, at the change-log version the view was published with.</summary>
    public static byte[] Snapshot(MasterStateView view) => Line(view.ChangeVersion, "snapshot", w =>
    {
        w.WritePropertyName("state");
        MasterStateWriter.WriteState(w, new StateIndex(view));
    });

    public static byte[] Task(long version, TaskEntry task) => Line(version, "task", w =>
    {
        w.WriteString("framework_id", task.FrameworkId);
        w.WritePropertyName("task");
        MasterStateWriter.WriteTask(w, task);
    });

    public static byte[] Agent(long version, AgentView agent, Allocation.Resources used, Allocation.Resources offered) =>
        agent.Status == AgentStatus.Unreachable
            ? Removed(version, "agent_removed", "agent_id", agent.Id)
            : Line(version, "agent", w =>
            {
                w.WritePropertyName("agent");
                MasterStateWriter.WriteAgent(w, agent, used, offered);
            });

    public static byte[] Framework(long version, FrameworkEntry framework) => Line(version, "framework", w =>
    {
        w.WriteStartObject("framework");
        w.WriteString("id", framework.Id);
        w.WriteString("name", framework.Name);
        w.WriteString("role", framework.Role);
        w.WriteBoolean("active", framework.Connected && !framework.Suppressed);
        w.WriteBoolean("connected", framework.Connected);
        if (framework.Hostname is not null)
        {
            w.WriteString("hostname", framework.Hostname);
        }

        w.WriteEndObject();
    });

    public static byte[] Removed(long version, string type, string idField, string id) => Line(version, type, w => w.WriteString(idField, id));

    public static byte[] Heartbeat(long version) => Line(version, "heartbeat", static _ => { });

    private static byte[] Line(long version, string type, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WriteNumber("version", version);
            body(w);
            w.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
