using System.Net;
using Minuet.Platform.Jobs.Engine;

namespace Minuet.Platform.Jobs;

/// <summary>What <c>minuet jobs</c> runs: where the two APIs listen, the masters, the state directory.</summary>
internal sealed record JobsHostOptions
{
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 9000);

    /// <summary>The Chronos shim's address; null serves it on <see cref="Listen"/> only.</summary>
    public IPEndPoint? ChronosListen { get; init; } = new(IPAddress.Loopback, 4400);

    public required IReadOnlyList<Uri> Masters { get; init; }

    /// <summary>Holds <c>jobs.db</c>; null keeps everything in memory (tests).</summary>
    public string? StateDir { get; init; }

    /// <summary>A store opened by the caller (the HA host's per-term etcd store); wins over <see cref="StateDir"/>.</summary>
    public Storage.IJobStore? Store { get; init; }

    public JobsOptions Jobs { get; init; } = new();
}
