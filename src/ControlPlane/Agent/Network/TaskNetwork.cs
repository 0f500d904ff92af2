using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Minuet.ControlPlane.Agent.Network;

/// <summary>
/// Gives tasks their own network namespace and IP on the agent's bridge. Per task: <c>ip netns add</c>, a veth
/// pair with one end on the bridge and the other as <c>eth0</c> in the task namespace, an address from the
/// subnet and a default route via the bridge. The task process starts inside with <c>ip netns exec</c>.
/// Deleting the namespace removes the veth pair. No NAT or iptables rules are installed: tasks reach the
/// agent and each other over the bridge; outbound traffic beyond the agent is not routed.
/// </summary>
internal sealed partial class TaskNetwork
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(10);
    private readonly TaskNetworkOptions _options;
    private readonly Ipv4Subnet _subnet;
    private readonly string _ip;
    private readonly ILogger _logger;
    private readonly object _bridgeGate = new();
    private Task<string?>? _bridge;

    private TaskNetwork(TaskNetworkOptions options, Ipv4Subnet subnet, string ip, ILogger logger)
    {
        _options = options;
        _subnet = subnet;
        _ip = ip;
        _logger = logger;
    }

    public TaskNetworkOptions Options => _options;

    /// <summary>Validates the options and finds <c>ip</c>; the error names what is wrong.</summary>
    public static (TaskNetwork? Network, string? Error) Create(TaskNetworkOptions options, ILogger logger)
    {
        var parsed = Ipv4Subnet.Parse(options.Subnet);
        if (parsed.Subnet is null)
        {
            return (null, "--task-network: " + parsed.Error);
        }

        if (options.Bridge.Length is 0 or > 15)
        {
            return (null, $"--task-network: bridge name '{options.Bridge}' must be 1-15 characters");
        }

        var ip = ToolRunner.Find("ip");
        return ip is null
            ? (null, "--task-network needs the 'ip' tool (iproute2) on PATH")
            : (new TaskNetwork(options, parsed.Subnet, ip, logger), null);
    }

    /// <summary>True when a launch asking for <paramref name="name"/> belongs on this network.</summary>
    public bool Serves(string? name) => _options.Name is null || string.Equals(name, _options.Name, StringComparison.Ordinal);

    /// <summary>The namespace a task gets: prefix + 10 hex digits of sha256(task id), stable across restarts.</summary>
    public string NamespaceName(string taskId) =>
        _options.NamespacePrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(taskId)))[..10];

    /// <summary>argv prefix that runs a program inside a task's namespace.</summary>
    public IReadOnlyList<string> ExecPrefix(string netns) => [_ip, "netns", "exec", netns];

    /// <summary>Marks a recovered task's address as used.</summary>
    public void Reserve(string ipAddress)
    {
        if (IPAddress.TryParse(ipAddress, out var address))
        {
            lock (_subnet)
            {
                _subnet.Reserve(address);
            }
        }
    }

    /// <summary>Creates the task's namespace and wiring; on failure everything made so far is removed.</summary>
    public async Task<(string? Netns, string? Ip, string? Error)> AttachAsync(string taskId, CancellationToken cancellationToken)
    {
        var bridgeError = await EnsureBridgeAsync(cancellationToken).ConfigureAwait(false);
        if (bridgeError is not null)
        {
            return (null, null, bridgeError);
        }

        IPAddress? address;
        lock (_subnet)
        {
            address = _subnet.Allocate();
        }

        if (address is null)
        {
            return (null, null, $"task network {_options.Subnet} has no free address");
        }

        string netns = NamespaceName(taskId);
        string hostVeth = "mv" + netns[^10..];
        string cidr = $"{address}/{_subnet.Prefix}";
        var steps = new List<string[]>
        {
            new[] { "netns", "add", netns },
            Host("link", "add", hostVeth, "type", "veth", "peer", "name", "eth0", "netns", netns),
            Host("link", "set", hostVeth, "master", _options.Bridge, "up"),
            new[] { "-n", netns, "link", "set", "lo", "up" },
            new[] { "-n", netns, "addr", "add", cidr, "dev", "eth0" },
            new[] { "-n", netns, "link", "set", "eth0", "up" },
            new[] { "-n", netns, "route", "add", "default", "via", _subnet.Gateway.ToString() },
        };

        // A namespace left by a crash before the checkpoint was written would make `netns add` fail: clear it first.
        await RunAsync(["netns", "del", netns], cancellationToken).ConfigureAwait(false);
        foreach (var step in steps)
        {
            var result = await RunAsync(step, cancellationToken).ConfigureAwait(false);
            if (!result.Ok)
            {
                await DetachAsync(netns, address.ToString(), CancellationToken.None).ConfigureAwait(false);
                return (null, null, result.Describe("ip " + string.Join(' ', step)));
            }
        }

        LogAttached(_logger, taskId, netns, address);
        return (netns, address.ToString(), null);
    }

    /// <summary>Deletes the task's namespace (and with it the veth pair) and frees its address. Safe to repeat.</summary>
    public async Task DetachAsync(string netns, string? ipAddress, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["netns", "del", netns], cancellationToken).ConfigureAwait(false);
        if (!result.Ok && !result.Stderr.Contains("No such file", StringComparison.Ordinal))
        {
            LogDetachFailed(_logger, netns, result.Stderr);
        }

        if (ipAddress is not null && IPAddress.TryParse(ipAddress, out var address))
        {
            lock (_subnet)
            {
                _subnet.Release(address);
            }
        }
    }

    /// <summary>Creates and addresses the bridge once; a failure is retried on the next launch.</summary>
    private Task<string?> EnsureBridgeAsync(CancellationToken cancellationToken)
    {
        lock (_bridgeGate)
        {
            if (_bridge is null || (_bridge.IsCompleted && (_bridge.IsFaulted || _bridge.Result is not null)))
            {
                _bridge = CreateBridgeAsync(cancellationToken);
            }

            return _bridge;
        }
    }

    private async Task<string?> CreateBridgeAsync(CancellationToken cancellationToken)
    {
        if (!(await RunAsync(Host("link", "show", _options.Bridge), cancellationToken).ConfigureAwait(false)).Ok)
        {
            var add = await RunAsync(Host("link", "add", _options.Bridge, "type", "bridge"), cancellationToken).ConfigureAwait(false);
            if (!add.Ok)
            {
                return add.Describe($"creating bridge {_options.Bridge}");
            }
        }

        var gateway = $"{_subnet.Gateway}/{_subnet.Prefix}";
        var addr = await RunAsync(Host("addr", "replace", gateway, "dev", _options.Bridge), cancellationToken).ConfigureAwait(false);
        if (!addr.Ok)
        {
            return addr.Describe($"addressing bridge {_options.Bridge}");
        }

        var up = await RunAsync(Host("link", "set", _options.Bridge, "up"), cancellationToken).ConfigureAwait(false);
        return up.Ok ? null : up.Describe($"bringing up bridge {_options.Bridge}");
    }

    private string[] Host(params string[] args) =>
        _options.HostNetns is null ? args : ["-n", _options.HostNetns, .. args];

    private Task<ToolRunner.Result> RunAsync(string[] args, CancellationToken cancellationToken) =>
        ToolRunner.RunAsync(_ip, args, ToolTimeout, cancellationToken);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "Task {TaskId} attached to namespace {Netns} with {Ip}")]
    private static partial void LogAttached(ILogger logger, string taskId, string netns, IPAddress ip);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Warning, Message = "Removing namespace {Netns} failed: {Error}")]
    private static partial void LogDetachFailed(ILogger logger, string netns, string error);
}
