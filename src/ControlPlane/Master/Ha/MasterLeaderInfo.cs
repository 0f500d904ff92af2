using System.Text.Json;
using System.Text.Json.Serialization;

namespace Minuet.ControlPlane.Master.Ha;

/// <summary>
/// The value of <c>/minuet/master/leader</c>, the contract agents, data planes and the CLI follow:
/// <c>{"id","url":"http://ip:port","pid":"master@ip:port","hostname","ip","port"}</c>.
/// </summary>
internal sealed record MasterLeaderInfo
{
    public required string Id { get; init; }

    public required string Url { get; init; }

    public required string Pid { get; init; }

    public required string Hostname { get; init; }

    public required string Ip { get; init; }

    public int Port { get; init; }

    /// <summary><c>ip:port</c> as a URL authority (IPv6 in brackets).</summary>
    [JsonIgnore]
    public string Authority => $"{MasterOptions.FormatHost(Ip)}:{Port}";

    public static MasterLeaderInfo Of(string masterId, MasterOptions options) => new()
    {
        Id = masterId,
        Url = $"http://{MasterOptions.FormatHost(options.AdvertiseIp)}:{options.Port}",
        Pid = options.LeaderPid,
        Hostname = options.Hostname,
        Ip = options.AdvertiseIp,
        Port = options.Port,
    };

    /// <summary>The address standbys probe for a dead leader process (<see cref="Coordination.LeaderElectionOptions.ProbeTarget"/>).</summary>
    public static System.Net.EndPoint? ProbeTarget(string json) =>
        TryParse(json) is { } leader ? Coordination.TcpLeaderProbe.EndPointOf(leader.Ip, leader.Port) : null;

    public string ToJson() => JsonSerializer.Serialize(this, MasterLeaderJsonContext.Default.MasterLeaderInfo);

    /// <summary>Null for anything that is not such a document (a foreign or corrupt key never crashes a standby).</summary>
    public static MasterLeaderInfo? TryParse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, MasterLeaderJsonContext.Default.MasterLeaderInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MasterLeaderInfo))]
internal sealed partial class MasterLeaderJsonContext : JsonSerializerContext;
