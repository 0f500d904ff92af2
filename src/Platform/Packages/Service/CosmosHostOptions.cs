using System.Net;

namespace Minuet.Platform.Packages.Service;

/// <summary>What <c>minuet cosmos</c> runs with.</summary>
internal sealed record CosmosHostOptions
{
    public required IPEndPoint Listen { get; init; }

    /// <summary>Marathon's base URL (<c>/v2/apps</c> below it).</summary>
    public required Uri Marathon { get; init; }

    /// <summary>The Mesos master's base URL, for tearing down framework packages; null skips teardown.</summary>
    public Uri? Mesos { get; init; }

    /// <summary>Where the repository list is kept; null keeps it in memory.</summary>
    public string? StateDir { get; init; }

    /// <summary>Package folders served as <c>GET /repo</c> and added as the first repository (<c>local-universe</c>); null serves none.</summary>
    public string? LocalUniverse { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
