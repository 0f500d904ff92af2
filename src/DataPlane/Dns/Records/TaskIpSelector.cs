using System.Net;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Dns.Records;

/// <summary>
/// A task's own IPs: the IP sources in order, and the first source that yields any IP wins with all its IPs
/// (Mesos-DNS since cdcc5f32). Status-based sources read only the TASK_RUNNING status with the highest timestamp.
/// </summary>
internal static class TaskIpSelector
{
    public const string DockerIpLabel = "Docker.NetworkSettings.IPAddress";
    public const string MesosIpLabel = "MesosContainerizer.NetworkSettings.IPAddress";

    /// <summary>Fills <paramref name="result"/> (cleared first) with the task's IPs.</summary>
    public static void Select(TaskInfo task, IReadOnlyList<IPAddress> agentIps, IReadOnlyList<IpSource> sources, List<IPAddress> result)
    {
        result.Clear();
        TaskStatusInfo? latest = null;
        bool latestFound = false;
        foreach (var source in sources)
        {
            if (source == IpSource.Host)
            {
                result.AddRange(agentIps);
            }
            else
            {
                if (!latestFound)
                {
                    latest = LatestRunning(task.Statuses);
                    latestFound = true;
                }

                if (latest is not null)
                {
                    switch (source)
                    {
                        case IpSource.Netinfo:
                            foreach (var text in latest.NetworkIpAddresses)
                            {
                                AddParsed(text, result);
                            }

                            break;
                        case IpSource.Mesos:
                            AddLabelled(latest, MesosIpLabel, result);
                            break;
                        case IpSource.Docker:
                            AddLabelled(latest, DockerIpLabel, result);
                            break;
                    }
                }
            }

            if (result.Count > 0)
            {
                return;
            }
        }
    }

    /// <summary>The TASK_RUNNING status with the highest timestamp (the first on ties), as Mesos-DNS picks it.</summary>
    internal static TaskStatusInfo? LatestRunning(IReadOnlyList<TaskStatusInfo> statuses)
    {
        TaskStatusInfo? best = null;
        double bestTime = -1;
        foreach (var status in statuses)
        {
            if (status.State == "TASK_RUNNING" && status.Timestamp > bestTime)
            {
                best = status;
                bestTime = status.Timestamp;
            }
        }

        return best;
    }

    private static void AddLabelled(TaskStatusInfo status, string key, List<IPAddress> result)
    {
        foreach (var label in status.Labels)
        {
            if (label.Key == key)
            {
                AddParsed(label.Value, result);
            }
        }
    }

    private static void AddParsed(string text, List<IPAddress> result)
    {
        if (IPAddress.TryParse(text, out var ip))
        {
            result.Add(ip);
        }
    }
}
