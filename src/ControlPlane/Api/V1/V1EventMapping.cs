using System.Globalization;
using System.Net;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Api.V1;

/// <summary>Between the master's <see cref="SchedulerEvent"/> and Mesos's scheduler <c>Event</c>, both ways.</summary>
internal static class V1EventMapping
{
    public static V1Event Heartbeat { get; } = new() { Type = "HEARTBEAT" };

    /// <summary>The event a v1 subscriber gets; null for events with no v1 form.</summary>
    public static V1Event? ToV1(SchedulerEvent e, MasterOptions options, string masterId, bool partitionAware) => e.Type switch
    {
        "SUBSCRIBED" when e.Subscribed is { } s => new V1Event
        {
            Type = "SUBSCRIBED",
            Subscribed = new V1Subscribed
            {
                FrameworkId = new V1Id(s.FrameworkId),
                HeartbeatIntervalSeconds = s.HeartbeatIntervalSeconds,
                MasterInfo = MasterInfo(options, masterId),
            },
        },
        "OFFERS" when e.Offers is { } offers => new V1Event { Type = "OFFERS", Offers = new V1Offers(offers.Select(ToV1).ToList()) },
        "RESCIND" when e.RescindOfferId is { } id => new V1Event { Type = "RESCIND", Rescind = new V1Rescind(new V1Id(id)) },
        "UPDATE" when e.Update is { } status => new V1Event { Type = "UPDATE", Update = new V1Update(V1Statuses.ToV1(status, partitionAware)) },
        "HEARTBEAT" => Heartbeat,
        "MESSAGE" when e.ExecutorMessage is { } m => new V1Event
        {
            Type = "MESSAGE",
            Message = new V1Message { AgentId = new V1Id(m.AgentId), ExecutorId = new V1Id(m.ExecutorId), Data = m.Data },
        },
        "ERROR" => new V1Event { Type = "ERROR", Error = new V1Error(e.Message) },
        "FAILURE" => new V1Event { Type = "FAILURE", Failure = new V1Failure { AgentId = e.FailedAgentId is { } agent ? new V1Id(agent) : null } },
        _ => null,
    };

    /// <summary>
    /// Mesos's MasterInfo: <c>ip</c> is the IPv4 address's four bytes in network order read as a little-endian
    /// integer (MESOS-1201), so 127.0.0.1 is 16777343.
    /// </summary>
    public static V1MasterInfo MasterInfo(MasterOptions options, string masterId)
    {
        long ip = 0;
        if (IPAddress.TryParse(options.AdvertiseIp, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            ip = BitConverter.ToUInt32(address.GetAddressBytes(), 0);
        }

        return new V1MasterInfo
        {
            Id = masterId,
            Ip = ip,
            Port = options.Port,
            Pid = options.LeaderPid,
            Hostname = options.Hostname,
            Version = MesosVersion,
            Address = new V1Address { Hostname = options.Hostname, Ip = options.AdvertiseIp, Port = options.Port },
        };
    }

    /// <summary>The Mesos API version this master speaks (what <c>/version</c> of a Mesos 1.x master reports).</summary>
    public const string MesosVersion = "1.11.0";

    public static V1Offer ToV1(OfferInfo offer) => new()
    {
        Id = new V1Id(offer.Id),
        FrameworkId = new V1Id(offer.FrameworkId),
        AgentId = new V1Id(offer.AgentId),
        Hostname = offer.Hostname,
        Url = new V1Url { Scheme = "http", Address = new V1Address { Hostname = offer.Hostname, Ip = offer.Address, Port = offer.Port }, Path = "/slave(1)" },
        Resources = V1Resources.ToV1(offer.Resources, offer.ReservedResources, offer.Role, offer.Role),
        Attributes = offer.Attributes.Count == 0 ? null : offer.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(ToV1Attribute).ToList(),
        AllocationInfo = new V1AllocationInfo(offer.Role),
    };

    /// <summary>Mesos types an agent attribute by its text: a number is SCALAR, anything else TEXT.</summary>
    private static V1Attribute ToV1Attribute(KeyValuePair<string, string> attribute) =>
        double.TryParse(attribute.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
            ? new V1Attribute { Name = attribute.Key, Type = "SCALAR", Scalar = new V1Scalar(number) }
            : new V1Attribute { Name = attribute.Key, Type = "TEXT", Text = new V1Text(attribute.Value) };

    /// <summary>A v1 event as the Minuet scheduler handles it (its link to a master over HTTP).</summary>
    public static SchedulerEvent FromV1(V1Event e, string? frameworkId) => e.Type switch
    {
        "SUBSCRIBED" when e.Subscribed is { } s => new SchedulerEvent
        {
            Type = "SUBSCRIBED",
            Subscribed = new SubscribedEvent(s.FrameworkId?.Value ?? string.Empty, s.HeartbeatIntervalSeconds ?? 15,
                s.MasterInfo?.Id ?? string.Empty, s.MasterInfo?.Pid ?? string.Empty),
        },
        "OFFERS" => new SchedulerEvent { Type = "OFFERS", Offers = (e.Offers?.Offers ?? []).Select(FromV1).ToList() },
        "RESCIND" => new SchedulerEvent { Type = "RESCIND", RescindOfferId = e.Rescind?.OfferId?.Value },
        "UPDATE" when e.Update?.Status is { } status => new SchedulerEvent { Type = "UPDATE", Update = V1Statuses.FromV1(status, frameworkId ?? string.Empty) },
        "ERROR" => new SchedulerEvent { Type = "ERROR", Message = e.Error?.Message },
        "MESSAGE" when e.Message is { } m => new SchedulerEvent
        {
            Type = "MESSAGE",
            ExecutorMessage = new ExecutorMessageEvent(m.AgentId?.Value ?? string.Empty, m.ExecutorId?.Value ?? string.Empty, m.Data ?? string.Empty),
        },
        "FAILURE" => new SchedulerEvent { Type = "FAILURE", FailedAgentId = e.Failure?.AgentId?.Value },
        _ => new SchedulerEvent { Type = e.Type },
    };

    private static OfferInfo FromV1(V1Offer offer)
    {
        var resources = offer.Resources ?? [];
        var ignored = new FieldErrorList();
        var reserved = resources.Where(r => V1Resources.RoleOf(r) != V1Resources.Unreserved).ToList();
        string role = offer.AllocationInfo?.Role ?? resources.Select(r => r.AllocationInfo?.Role).FirstOrDefault(r => r is not null)
            ?? (reserved.Count > 0 ? V1Resources.RoleOf(reserved[0]) : V1Resources.Unreserved);
        return new OfferInfo
        {
            Id = offer.Id?.Value ?? string.Empty,
            FrameworkId = offer.FrameworkId?.Value ?? string.Empty,
            AgentId = offer.AgentId?.Value ?? string.Empty,
            Hostname = offer.Hostname ?? string.Empty,
            Address = offer.Url?.Address?.Ip ?? offer.Hostname ?? string.Empty,
            Port = offer.Url?.Address?.Port ?? 5051,
            Role = role,

            // Kinds this scheduler cannot use (unknown resources) are skipped here, not refused: the offer is still good.
            Resources = V1Resources.Parse(resources.Where(Usable).ToList(), "/resources", ignored),
            ReservedResources = reserved.Count == 0 ? null : V1Resources.Parse(reserved.Where(Usable).ToList(), "/resources", ignored),
            Attributes = (offer.Attributes ?? []).Where(a => a.Name is not null).GroupBy(a => a.Name!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => AttributeText(g.First()), StringComparer.Ordinal),
        };
    }

    private static bool Usable(V1Resource r) =>
        r.Disk is null && r.Revocable is null && r.Shared is null &&
        ((r.Name is "cpus" or "mem" or "disk" or "gpus" && r.Type == "SCALAR") || (r.Name == "ports" && r.Type == "RANGES"));

    private static string AttributeText(V1Attribute a) => a.Type switch
    {
        "SCALAR" => (a.Scalar?.Value ?? 0).ToString(CultureInfo.InvariantCulture),
        "RANGES" => "[" + string.Join(", ", (a.Ranges?.Range ?? []).Select(r => $"{r.Begin}-{r.End}")) + "]",
        "SET" => "{" + string.Join(", ", a.Set?.Item ?? []) + "}",
        _ => a.Text?.Value ?? string.Empty,
    };
}
