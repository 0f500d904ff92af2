using Minuet.Platform.EdgeLb.Config;

namespace Minuet.Platform.EdgeLb;

/// <summary>Everything <c>minuet edge-lb</c> is told on its command line.</summary>
internal sealed record EdgeLbOptions
{
    public required Uri Marathon { get; init; }

    public required GeneratorOptions Generator { get; init; }

    public bool StrictMode { get; init; }

    /// <summary>A full regeneration this often even without events (marathon-lb: 300 s).</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromMinutes(5);

    public Func<string, string?> ResolveHost { get; init; } = ServiceBuilder.ResolveWithDns;
}
