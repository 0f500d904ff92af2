using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// Service ports for IP-per-task apps that have none (Marathon issue 3636), as marathon-lb's <c>ServicePortAssigner</c>
/// picks them from 10050-10100: per task port, the first of <c>min + int(sha1("{appId}-{taskPort}-{i}")[:8], 16) % count</c>
/// (i = 0..49) not yet taken in this regeneration, else the lowest free port. Deterministic for a given app set and
/// order, but a port can move when other apps come or go, so it is only useful behind a vhost. One instance per
/// regeneration (marathon-lb resets its assigner before each).
/// </summary>
internal sealed class IpPerTaskPorts(int min = IpPerTaskPorts.DefaultMin, int max = IpPerTaskPorts.DefaultMax)
{
    public const int DefaultMin = 10050;
    public const int DefaultMax = 10100;
    private const int MaxClashes = 50;

    private readonly Dictionary<(string App, int TaskPort), int?> _assigned = [];

    /// <summary>
    /// The app's service ports: its own when it has any; for an IP-per-task app without them and with a task, one
    /// assigned port per task port (its discovery ports, else its port mappings' container ports; null when the range is
    /// exhausted); otherwise the app's (all-null or empty) list, which serves nothing.
    /// </summary>
    public IReadOnlyList<int?> For(MarathonApp app)
    {
        if (!app.IpPerTask || app.ServicePorts.Any(p => p is not null) || app.Tasks.Count == 0 || app.ContainerPorts.Count == 0)
        {
            return app.ServicePorts;
        }

        return [.. app.ContainerPorts.Select(p => Get(app.Id, p))];
    }

    private int? Get(string appId, int taskPort)
    {
        if (_assigned.TryGetValue((appId, taskPort), out int? port))
        {
            return port;
        }

        port = Assign(appId, taskPort);
        _assigned[(appId, taskPort)] = port;
        return port;
    }

    private int? Assign(string appId, int taskPort)
    {
        int count = max - min + 1;
        if (_assigned.Count >= count)
        {
            return null;
        }

        var taken = _assigned.Values.OfType<int>().ToHashSet();
        for (int i = 0; i < MaxClashes; i++)
        {
#pragma warning disable CA5350 // marathon-lb's port choice, not security: the same ports as marathon-lb would pick
            byte[] hash = SHA1.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{appId}-{taskPort}-{i}")));
#pragma warning restore CA5350
            uint first = (uint)(hash[0] << 24 | hash[1] << 16 | hash[2] << 8 | hash[3]);
            int trial = min + (int)(first % (uint)count);
            if (!taken.Contains(trial))
            {
                return trial;
            }
        }

        for (int p = min; p <= max; p++)
        {
            if (!taken.Contains(p))
            {
                return p;
            }
        }

        return null;
    }
}
