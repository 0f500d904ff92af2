using System.Text.Json;
using System.Text.Json.Serialization;

namespace Minuet.ControlPlane.Scheduler.Ha;

/// <summary>The value of <c>/minuet/marathon/leader</c>: <c>{"id":"...","url":"http://ip:port"}</c>.</summary>
internal sealed record SchedulerLeaderInfo(string Id, string Url)
{
    /// <summary><c>host:port</c>, Marathon's <c>/v2/leader</c> answer.</summary>
    [JsonIgnore]
    public string HostPort => new Uri(Url).Authority;

    /// <summary>The address standbys probe for a dead leader process (<see cref="Coordination.LeaderElectionOptions.ProbeTarget"/>).</summary>
    public static System.Net.EndPoint? ProbeTarget(string json) =>
        TryParse(json) is { } leader && new Uri(leader.Url) is var url ? Coordination.TcpLeaderProbe.EndPointOf(url.Host, url.Port) : null;

    public string ToJson() => JsonSerializer.Serialize(this, SchedulerLeaderJsonContext.Default.SchedulerLeaderInfo);

    public static SchedulerLeaderInfo? TryParse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            var info = JsonSerializer.Deserialize(json, SchedulerLeaderJsonContext.Default.SchedulerLeaderInfo);
            return info is not null && Uri.TryCreate(info.Url, UriKind.Absolute, out _) ? info : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SchedulerLeaderInfo))]
internal sealed partial class SchedulerLeaderJsonContext : JsonSerializerContext;
