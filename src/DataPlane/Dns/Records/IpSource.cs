namespace Minuet.DataPlane.Dns.Records;

/// <summary>Where a task's own IP comes from (Mesos-DNS <c>IPSources</c>); the first source that yields an IP wins.</summary>
public enum IpSource
{
    /// <summary><c>statuses[].container_status.network_infos[].ip_addresses[].ip_address</c> of the latest running status.</summary>
    Netinfo,

    /// <summary>The <c>MesosContainerizer.NetworkSettings.IPAddress</c> status label.</summary>
    Mesos,

    /// <summary>The <c>Docker.NetworkSettings.IPAddress</c> status label.</summary>
    Docker,

    /// <summary>The agent's IP (from its pid).</summary>
    Host,
}

/// <summary>Names of <see cref="IpSource"/> as written on the command line and in Mesos-DNS config.</summary>
public static class IpSources
{
    /// <summary>Mesos-DNS's default order: <c>netinfo,mesos,host</c>.</summary>
    public static IReadOnlyList<IpSource> Default { get; } = [IpSource.Netinfo, IpSource.Mesos, IpSource.Host];

    public static bool TryParse(string name, out IpSource source)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "netinfo": source = IpSource.Netinfo; return true;
            case "mesos": source = IpSource.Mesos; return true;
            case "docker": source = IpSource.Docker; return true;
            case "host": source = IpSource.Host; return true;
            default: source = default; return false;
        }
    }

    public static string Name(IpSource source) => source switch
    {
        IpSource.Netinfo => "netinfo",
        IpSource.Mesos => "mesos",
        IpSource.Docker => "docker",
        _ => "host",
    };
}
