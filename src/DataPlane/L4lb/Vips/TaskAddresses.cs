using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>Where a task can be reached: its agent's IP, its container IP, its host ports, and its health.</summary>
internal static class TaskAddresses
{
    /// <summary>The agent IP from its pid (<c>slave(1)@10.0.0.1:5051</c>), else from a hostname that is an IP.</summary>
    public static uint? AgentAddress(AgentInfo agent)
    {
        if (agent.Pid is { } pid)
        {
            int at = pid.IndexOf('@', StringComparison.Ordinal);
            int colon = pid.LastIndexOf(':');
            if (at >= 0 && colon > at && IpPort.TryParseAddress(pid.AsSpan(at + 1, colon - at - 1), out uint fromPid))
            {
                return fromPid;
            }
        }

        return IpPort.TryParseAddress(agent.Hostname, out uint fromHost) ? fromHost : null;
    }

    /// <summary>The first IPv4 container address of the most recent status that reports any.</summary>
    public static uint? ContainerAddress(TaskInfo task)
    {
        if (task.Statuses.Count == 1)
        {
            foreach (var ip in task.Statuses[0].NetworkIpAddresses)
            {
                if (IpPort.TryParseAddress(ip, out uint address))
                {
                    return address;
                }
            }

            return null;
        }

        foreach (var status in ByRecency(task))
        {
            foreach (var ip in status.NetworkIpAddresses)
            {
                if (IpPort.TryParseAddress(ip, out uint address))
                {
                    return address;
                }
            }
        }

        return null;
    }

    /// <summary>0 for a killing task, one whose latest status says unhealthy, or a checked one not yet healthy; else 1.</summary>
    public static int Weight(TaskInfo task)
    {
        if (task.State == "TASK_KILLING")
        {
            return 0;
        }

        // The most recent status; the last of equal timestamps wins (ByRecency's first, without sorting).
        TaskStatusInfo? latest = null;
        foreach (var status in task.Statuses)
        {
            if (latest is null || status.Timestamp >= latest.Timestamp)
            {
                latest = status;
            }
        }

        bool? healthy = latest?.Healthy;
        return healthy == false || (task.HasHealthCheck && healthy != true) ? 0 : 1;
    }

    /// <summary>The idx-th host port of the task's port ranges, or null.</summary>
    public static int? HostPort(TaskInfo task, int index)
    {
        long remaining = index;
        foreach (var range in task.Ports)
        {
            long count = (long)range.End - range.Begin + 1;
            if (remaining < count)
            {
                return (int)(range.Begin + remaining);
            }

            remaining -= count;
        }

        return null;
    }

    // Statuses are usually in time order, but nothing promises it; the last of equal timestamps wins.
    private static IEnumerable<TaskStatusInfo> ByRecency(TaskInfo task) =>
        task.Statuses.Select((status, i) => (status, i))
            .OrderByDescending(x => x.status.Timestamp)
            .ThenByDescending(x => x.i)
            .Select(x => x.status);
}
