using System.Threading.Channels;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Master.State;

namespace Minuet.ControlPlane.Api.Operator;

/// <summary>
/// Fans the master's changes out to operator SUBSCRIBE streams as Mesos's v1 events (master.proto <c>Event</c>):
/// TASK_ADDED on a task's first publication, TASK_UPDATED after, AGENT_ADDED / AGENT_REMOVED, FRAMEWORK_ADDED the
/// first time a framework is seen, FRAMEWORK_UPDATED after, FRAMEWORK_REMOVED with its last FrameworkInfo. Events
/// are rendered once, under the master lock, only while someone listens. A subscriber that leaves
/// <see cref="Capacity"/> events unread is cut off (its stream ends; it subscribes again for a fresh state).
/// </summary>
internal sealed class OperatorEventHub : IMasterObserver
{
    public const int Capacity = 10_000;
    private readonly Lock _gate = new();
    private readonly List<Channel<byte[]>> _subscribers = [];
    private readonly HashSet<string> _knownFrameworks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _frameworkInfos = new(StringComparer.Ordinal);
    private readonly HashSet<string> _knownAgents = new(StringComparer.Ordinal);

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>
    /// Registers a subscriber and renders its SUBSCRIBED event in one step under the master lock, so it misses and
    /// repeats no change.
    /// </summary>
    public (ChannelReader<byte[]> Events, Action Unsubscribe) Subscribe(MasterCore master, double heartbeatSeconds)
    {
        var channel = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        master.Read(m =>
        {
            channel.Writer.TryWrite(V1Http.Render("SUBSCRIBED", w =>
            {
                w.WriteStartObject("subscribed");
                // Under the lock no change is half done, so the last published view is the state now.
                MasterV1Writer.WriteGetState(w, "get_state", new StateIndex(m.View));
                w.WriteNumber("heartbeat_interval_seconds", heartbeatSeconds);
                w.WriteEndObject();
            }));
            lock (_gate)
            {
                _subscribers.Add(channel);
            }

            return 0;
        });
        return (channel.Reader, () => Remove(channel));
    }

    public void TaskChanged(MasterCore master, TaskEntry task, bool added)
    {
        if (!Listening)
        {
            return;
        }

        Broadcast(added
            ? V1Http.Render("TASK_ADDED", w =>
            {
                w.WriteStartObject("task_added");
                w.WritePropertyName("task");
                MasterV1Writer.WriteTask(w, task);
                w.WriteEndObject();
            })
            : V1Http.Render("TASK_UPDATED", w =>
            {
                w.WriteStartObject("task_updated");
                V1Json.WriteId(w, "framework_id", task.FrameworkId);
                if (task.Statuses.Count > 0)
                {
                    w.WritePropertyName("status");
                    V1Json.WriteTaskStatus(w, task.Statuses[^1], task.Launch.Executor?.ExecutorId);
                }

                w.WriteString("state", task.State.ToMesosName());
                w.WriteEndObject();
            }));
    }

    public void AgentChanged(MasterCore master, AgentEntry agent)
    {
        bool added;
        lock (_gate)
        {
            added = _knownAgents.Add(agent.Id);
        }

        // Mesos has no AGENT_UPDATED: a registered agent's later changes (reservations) send nothing.
        if (added && Listening)
        {
            Broadcast(V1Http.Render("AGENT_ADDED", w =>
            {
                w.WriteStartObject("agent_added");
                w.WritePropertyName("agent");
                MasterV1Writer.WriteAgent(w, master, agent);
                w.WriteEndObject();
            }));
        }
    }

    public void AgentRemoved(MasterCore master, string agentId)
    {
        bool known;
        lock (_gate)
        {
            known = _knownAgents.Remove(agentId);
        }

        if (known && Listening)
        {
            Broadcast(V1Http.Render("AGENT_REMOVED", w =>
            {
                w.WriteStartObject("agent_removed");
                V1Json.WriteId(w, "agent_id", agentId);
                w.WriteEndObject();
            }));
        }
    }

    public void FrameworkChanged(MasterCore master, FrameworkEntry framework)
    {
        bool added;
        lock (_gate)
        {
            added = _knownFrameworks.Add(framework.Id);
            _frameworkInfos[framework.Id] = V1Http.RenderValue(w => MasterV1Writer.WriteFrameworkInfo(w, null, master, framework));
        }

        if (!Listening)
        {
            return;
        }

        string type = added ? "FRAMEWORK_ADDED" : "FRAMEWORK_UPDATED";
        Broadcast(V1Http.Render(type, w =>
        {
            w.WriteStartObject(added ? "framework_added" : "framework_updated");
            w.WritePropertyName("framework");
            MasterV1Writer.WriteFramework(w, master, framework);
            w.WriteEndObject();
        }));
    }

    public void FrameworkRemoved(MasterCore master, string frameworkId)
    {
        byte[]? info;
        lock (_gate)
        {
            _knownFrameworks.Remove(frameworkId);
            _frameworkInfos.Remove(frameworkId, out info);
        }

        if (!Listening)
        {
            return;
        }

        Broadcast(V1Http.Render("FRAMEWORK_REMOVED", w =>
        {
            w.WriteStartObject("framework_removed");
            if (info is not null)
            {
                w.WritePropertyName("framework_info");
                w.WriteRawValue(info, skipInputValidation: true);
            }
            else
            {
                w.WriteStartObject("framework_info");
                V1Json.WriteId(w, "id", frameworkId);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }));
    }

    private bool Listening
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count > 0;
            }
        }
    }

    private void Broadcast(byte[] payload)
    {
        lock (_gate)
        {
            for (int i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (!_subscribers[i].Writer.TryWrite(payload))
                {
                    _subscribers[i].Writer.TryComplete(new ChannelClosedException("operator subscriber too slow"));
                    _subscribers.RemoveAt(i);
                }
            }
        }
    }

    private void Remove(Channel<byte[]> channel)
    {
        lock (_gate)
        {
            _subscribers.Remove(channel);
        }

        channel.Writer.TryComplete();
    }
}
