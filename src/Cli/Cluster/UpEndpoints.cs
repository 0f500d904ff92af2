using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Minuet.Cli.Cluster;

/// <summary>
/// Where a running <c>minuet up</c> listens, written to <c>&lt;state-dir&gt;/endpoints.json</c> once the cluster runs and
/// removed when it stops, so the client verbs (<c>app</c>, <c>task</c>, <c>dns</c>, <c>vips</c>) reach it without flags
/// (DNS is on 8053 without root). A file whose <c>up</c> is gone (kill -9) is ignored. Addresses are the ones a
/// client on this machine dials (0.0.0.0 becomes 127.0.0.1).
/// </summary>
internal sealed record UpEndpoints
{
    public const string FileName = "endpoints.json";

    /// <summary>Where the client verbs look when no flag says: <c>$MINUET_STATE_DIR</c>, else <c>~/.minuet</c> (up's default).</summary>
    public const string StateDirVariable = "MINUET_STATE_DIR";

    [JsonPropertyName("pid")]
    public int Pid { get; init; }

    [JsonPropertyName("master")]
    public required string Master { get; init; }

    [JsonPropertyName("marathon")]
    public required string Marathon { get; init; }

    /// <summary>The DNS server, IP:PORT (UDP and TCP).</summary>
    [JsonPropertyName("dns")]
    public required string Dns { get; init; }

    /// <summary>The data plane's HTTP API (<c>/v1/...</c>, <c>/vips</c> when the L4 balancer runs, <c>/metrics</c>).</summary>
    [JsonPropertyName("dataplane")]
    public required string Dataplane { get; init; }

    /// <summary>Admin Router, the one authenticated entry (null: an up from before it existed).</summary>
    [JsonPropertyName("admin_router")]
    public string? AdminRouter { get; init; }

    [JsonPropertyName("l4lb")]
    public bool L4lb { get; init; }

    /// <summary>The package service (Cosmos API, <c>/package/*</c>) and its local Universe (<c>/repo</c>).</summary>
    [JsonPropertyName("packages")]
    public string? Packages { get; init; }
    /// <summary>Every master (<c>up --masters N</c>; just <see cref="Master"/> otherwise): one leads, the others redirect to it.</summary>
    [JsonPropertyName("masters")]
    public IReadOnlyList<string> Masters { get; init; } = [];

    /// <summary>Every scheduler's Marathon API (standbys proxy to the leader).</summary>
    [JsonPropertyName("marathons")]
    public IReadOnlyList<string> Marathons { get; init; } = [];

    /// <summary>The etcd members' client URLs (<c>up --masters N</c> only).</summary>
    [JsonPropertyName("etcd")]
    public IReadOnlyList<string> Etcd { get; init; } = [];

    public static UpEndpoints For(UpOptions options, int pid) => new()
    {
        Pid = pid,
        Master = "http://" + ClientAddress(options.MasterListen),
        Marathon = "http://" + ClientAddress(options.MarathonListen),
        Dns = ClientAddress(options.DnsListen),
        Dataplane = "http://" + ClientAddress(options.HttpListen),
        L4lb = options.L4lb,
        AdminRouter = "http://" + ClientAddress(options.AdminRouterListen),
        Packages = "http://" + ClientAddress(options.PackagesListen),
        Masters = [.. (options.HighAvailability ? options.MasterListens : [options.MasterListen]).Select(e => "http://" + ClientAddress(e))],
        Marathons = [.. (options.HighAvailability ? options.MarathonListens : [options.MarathonListen]).Select(e => "http://" + ClientAddress(e))],
        Etcd = [.. options.Etcd.Select(m => m.ClientUrl)],
    };

    /// <summary>The address a client on this machine dials for a listen address (a wildcard becomes loopback).</summary>
    public static string ClientAddress(IPEndPoint listen) =>
        (listen.Address.Equals(IPAddress.Any) || listen.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.Loopback, listen.Port) : listen).ToString();

    /// <summary>
    /// <c>$MINUET_STATE_DIR</c>, else <c>~/.minuet</c>; null when there is no home directory at all. The home is
    /// taken as given even when it does not exist (the default lookup answers "" then, which made a relative
    /// <c>.minuet</c> in whatever directory up was started from).
    /// </summary>
    public static string? DefaultStateDir()
    {
        if (Environment.GetEnvironmentVariable(StateDirVariable) is { Length: > 0 } dir)
        {
            return dir;
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
        return home.Length > 0 ? Path.Combine(home, ".minuet") : null;
    }

    public void Write(string stateDir)
    {
        string path = Path.Combine(stateDir, FileName);
        string temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this));
        File.Move(temp, path, overwrite: true); // a reader never sees half a file
    }

    /// <summary>Removes the file if it is this process's (another up may have replaced it).</summary>
    public static void Remove(string stateDir, int pid)
    {
        string path = Path.Combine(stateDir, FileName);
        if (TryRead(path, checkAlive: false) is { } current && current.Pid == pid)
        {
            File.Delete(path);
        }
    }

    /// <summary>The running up's endpoints from the default state dir, or null (no file, unreadable, or its up is gone).</summary>
    public static UpEndpoints? Find() => DefaultStateDir() is { } dir ? TryRead(Path.Combine(dir, FileName), checkAlive: true) : null;

    public static UpEndpoints? TryRead(string path, bool checkAlive)
    {
        try
        {
            var read = JsonSerializer.Deserialize<UpEndpoints>(File.ReadAllText(path));
            return read is null || (checkAlive && !Directory.Exists("/proc/" + read.Pid)) ? null : read;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
