using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Build;
using Minuet.Platform.Packages.Model;

namespace Minuet.Packages.Tests;

/// <summary>The reference Universe packages as index entries (built from their folders as gen_universe.py does).</summary>
internal static class PackageFixtures
{
    public static readonly (string Name, string Folder, long Release)[] All =
    [
        ("nginx", "nginx/1.10.3", 6), ("marathon-lb", "marathon-lb/1.15.0", 45), ("chronos", "chronos/2.5.1", 7), ("spark", "spark/1.1.0-2.1.1", 26),
    ];

    public static string Root => Path.Combine(AppContext.BaseDirectory, "Fixtures", "universe");

    public static PackageDefinition Load(string name)
    {
        var (_, folder, release) = All.Single(p => p.Name == name);
        var errors = new List<string>();
        var entry = UniverseBuilder.ReadPackage(Path.Combine(Root, folder), release, errors);
        Assert.Empty(errors);
        return PackageDefinition.TryRead(entry, out _)!;
    }

    public static JsonObject Options(string json) => (JsonObject)JsonNode.Parse(json)!;
}
