using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Rendering;

namespace Minuet.Platform.Packages.Service;

/// <summary>A Marathon app that a package installed, read from the labels Cosmos puts on it.</summary>
internal sealed record InstalledApp(string AppId, string Name, string? Version, string? FrameworkName, JsonObject? Definition)
{
    public static InstalledApp? From(JsonObject app)
    {
        if (app["labels"] is not JsonObject labels || labels[PackageLabels.Name] is not JsonValue name || !name.TryGetValue(out string? packageName))
        {
            return null;
        }

        string? Label(string key) => labels[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        var definition = Label(PackageLabels.Definition) is { } stored ? PackageLabels.ReadEnvelope(stored) : null;
        return new InstalledApp(app["id"]?.GetValue<string>() ?? string.Empty, packageName, Label(PackageLabels.Version), Label(PackageLabels.FrameworkName), definition);
    }

    /// <summary>The package's metadata as list shows it (from the stored definition, else just name and version).</summary>
    public JsonObject Metadata()
    {
        var meta = new JsonObject();
        if (Definition is not null)
        {
            foreach (var (key, value) in Definition)
            {
                if (key is not ("marathon" or "config" or "resource" or "command" or "releaseVersion"))
                {
                    meta[key] = value?.DeepClone();
                }
            }

            if (Definition["resource"]?["images"] is { } images)
            {
                meta["images"] = images.DeepClone();
            }
        }

        meta["name"] = Name;
        if (Version is not null)
        {
            meta["version"] = Version;
        }

        return meta;
    }
}
