namespace Minuet.DataPlane.Dns.Records;

/// <summary>How task and framework names become DNS labels (Mesos-DNS <c>EnforceRFC952</c>).</summary>
public enum DnsLabelSpec
{
    /// <summary>Default: lower-case, <c>a-z0-9-</c>, at most 63 characters, no leading or trailing dash.</summary>
    Rfc1123,

    /// <summary>At most 24 characters and no leading digits either.</summary>
    Rfc952,
}
