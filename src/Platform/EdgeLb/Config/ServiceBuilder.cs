using System.Net;
using System.Net.Sockets;

namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// Turns Marathon apps into <see cref="EdgeService"/>s as marathon-lb's <c>get_apps</c> does: blue/green pairs merged
/// (<see cref="DeploymentGroups"/>), one service per service port with its labels, and only tasks fit to serve (running,
/// and with a live health result when the app has checks). An app with a bad label is left out whole, with the reason.
/// Keeps a bounded cache of each task's last health verdict, used when Marathon omits the results.
/// </summary>
internal sealed class ServiceBuilder(Func<string, string?> resolveHost, bool strictMode)
{
    /// <summary>marathon-lb's <c>EXCLUDED_TASK_STATES</c>: TASK_LOST and TASK_UNREACHABLE stay, the task may still run.</summary>
    private static readonly HashSet<string> ExcludedStates = new(StringComparer.Ordinal)
    {
        "TASK_STAGING", "TASK_STARTING", "TASK_KILLING", "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_ERROR",
        "TASK_DROPPED", "TASK_GONE", "TASK_GONE_BY_OPERATOR", "TASK_UNKNOWN",
    };

    private const int HealthCacheSize = 1000;
    private readonly Dictionary<string, bool> _lastHealth = new(StringComparer.Ordinal);
    private readonly Queue<string> _healthOrder = new();

    public (List<EdgeService> Services, List<Rejection> Rejections) Build(IReadOnlyList<MarathonApp> apps)
    {
        var services = new List<EdgeService>();
        var rejections = new List<Rejection>();
        var ipPerTaskPorts = new IpPerTaskPorts();
        foreach (var app in DeploymentGroups.Merge(apps, rejections))
        {
            var servicePorts = ipPerTaskPorts.For(app);
            var errors = new List<Rejection>();
            var appServices = new List<EdgeService>();
            string[] groups = app.Labels.TryGetValue("HAPROXY_GROUP", out string? g)
                ? g.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [];
            for (int i = 0; i < servicePorts.Count; i++)
            {
                if (servicePorts[i] is not { } servicePort)
                {
                    continue; // marathon-lb: "Skipping undefined service port"
                }

                var check = HealthCheckFor(app, i);
                var service = new EdgeService(app.Id, servicePort)
                {
                    Groups = groups,
                    HealthCheck = check,
                    Enabled = !strictMode,
                    Mode = check?.Protocol == "HTTP" ? "http" : null,
                };
                ServiceLabels.Apply(service, i, app.Labels, errors);
                appServices.Add(service);
            }

            if (errors.Count > 0)
            {
                rejections.AddRange(errors);
                continue;
            }

            AddBackends(app, servicePorts, appServices);
            services.AddRange(appServices.Where(s => s.Backends.Count > 0));
        }

        return (services, rejections);
    }

    private void AddBackends(MarathonApp app, IReadOnlyList<int?> servicePorts, List<EdgeService> appServices)
    {
        foreach (var task in app.Tasks)
        {
            if (task.Host.Length == 0 || ExcludedStates.Contains(task.State) || !FitToServe(app, task))
            {
                continue;
            }

            string? ip;
            IReadOnlyList<int> ports;
            if (app.IpPerTask)
            {
                ip = task.IpAddresses.Count > 0 ? task.IpAddresses[0] : null;
                ports = app.ContainerPorts.Count > 0 ? app.ContainerPorts : task.Ports;
            }
            else
            {
                ip = resolveHost(task.Host);
                ports = task.Ports;
            }

            if (ip is null)
            {
                continue;
            }

            // Service ports and task ports pair by position, as marathon-lb's zip does.
            int servicePortIndex = 0;
            for (int i = 0; i < servicePorts.Count && i < ports.Count; i++)
            {
                if (servicePorts[i] is null)
                {
                    continue;
                }

                var service = appServices[servicePortIndex++];
                var server = new BackendServer(task.Host, ip, ports[i], task.Draining);
                if (!service.Backends.Contains(server))
                {
                    service.Backends.Add(server);
                }
            }
        }
    }

    private bool FitToServe(MarathonApp app, MarathonTask task)
    {
        if (app.HealthChecks.Count == 0)
        {
            return true;
        }

        if (task.HealthAlive is null)
        {
            return _lastHealth.TryGetValue(task.Id, out bool last) && last;
        }

        bool alive = task.HealthAlive.Contains(true);
        Remember(task.Id, alive);
        return alive;
    }

    private void Remember(string taskId, bool alive)
    {
        if (!_lastHealth.ContainsKey(taskId))
        {
            _healthOrder.Enqueue(taskId);
            if (_healthOrder.Count > HealthCacheSize)
            {
                _lastHealth.Remove(_healthOrder.Dequeue());
            }
        }

        _lastHealth[taskId] = alive;
    }

    /// <summary>marathon-lb's <c>get_health_check</c>: the first check with a fixed port, or the first for this port index.</summary>
    private static MarathonHealthCheck? HealthCheckFor(MarathonApp app, int portIndex)
    {
        foreach (var check in app.HealthChecks)
        {
            if (check.Port is > 0 || check.PortIndex == portIndex)
            {
                return check;
            }
        }

        return null;
    }

    /// <summary>An IP literal as is; a host name by DNS (first IPv4 address), null when it does not resolve.</summary>
    public static string? ResolveWithDns(string host)
    {
        if (IPAddress.TryParse(host, out _))
        {
            return host;
        }

        try
        {
            var addresses = Dns.GetHostAddresses(host);
            return (addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault())?.ToString();
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
