using System.Net;

namespace Minuet.Platform.AdminRouter;

/// <summary>What <c>minuet admin-router</c> fronts and how (validated by the CLI verb).</summary>
internal sealed record AdminRouterOptions
{
    public IPEndPoint Listen { get; init; } = new(IPAddress.Any, 80);

    /// <summary>Every master; the elected one is followed through <c>/master/redirect</c>.</summary>
    public required IReadOnlyList<Uri> Masters { get; init; }

    public required Uri Marathon { get; init; }

    public required Uri Cosmos { get; init; }

    /// <summary>The data plane's HTTP API (Mesos-DNS's <c>/v1/...</c>), served under <c>/mesos_dns/</c>.</summary>
    public required Uri DnsApi { get; init; }

    /// <summary>The jobs service (<c>minuet jobs</c>), served under <c>/service/metronome/</c> as DC/OS serves Metronome.</summary>
    public Uri Metronome { get; init; } = new("http://127.0.0.1:9000");

    /// <summary>Off only for a trusted lab: every route is then anonymous.</summary>
    public bool Auth { get; init; } = true;

    /// <summary>Holds the signing key pair and the user store.</summary>
    public required string StateDir { get; init; }

    /// <summary>When set, tokens are HS256 with this file's secret (DC/OS 1.8-1.12 compatible) instead of RS256.</summary>
    public string? AuthSecretFile { get; init; }

    /// <summary>How long issued tokens live (DC/OS: about 5 days).</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromDays(5);

    /// <summary>Past this age without a successful refresh, <c>/service/</c> answers 503 rather than guess.</summary>
    public TimeSpan ServiceCacheLimit { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The fallback poll when Marathon's event stream is quiet or down (the stream is what keeps it fresh).</summary>
    public TimeSpan ServicePollInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long connecting to an upstream may take before the answer is 502.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>PBKDF2 rounds for new password hashes (tests lower it).</summary>
    public int PasswordIterations { get; init; } = Users.PasswordHash.DefaultIterations;

    public string KeyDir => Path.Combine(StateDir, "auth");
}
