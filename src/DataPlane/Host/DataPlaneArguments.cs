namespace Minuet.DataPlane.Host;

/// <summary>The <c>dataplane</c> command line as typed, before validation; null means "not given".</summary>
public sealed record DataPlaneArguments
{
    public string? StateFile { get; init; }

    public string? StateUrl { get; init; }

    public string? MasterUrl { get; init; }

    public string? Masters { get; init; }

    public string? Refresh { get; init; }

    public string? DnsListen { get; init; }

    public string? HttpListen { get; init; }

    public string? Domain { get; init; }

    public string? Ttl { get; init; }

    public string? NegativeTtl { get; init; }

    public string? LabelSpec { get; init; }

    public string? IpSources { get; init; }

    public IReadOnlyList<string> Upstreams { get; init; } = [];

    public bool NoForward { get; init; }

    public string? L4lb { get; init; }
}
