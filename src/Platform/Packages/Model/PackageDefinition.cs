using System.Text;
using System.Text.Json.Nodes;

namespace Minuet.Platform.Packages.Model;

/// <summary>
/// One package revision as a Universe repository index holds it: package.json's fields plus <c>releaseVersion</c>,
/// <c>marathon.v2AppMustacheTemplate</c> (base64), <c>config</c>, <c>resource</c> and <c>command</c>.
/// </summary>
internal sealed class PackageDefinition
{
    private PackageDefinition(JsonObject json, string name, string version, long releaseVersion)
    {
        Json = json;
        Name = name;
        Version = version;
        ReleaseVersion = releaseVersion;
    }

    /// <summary>The entry as served (never changed: callers clone before editing).</summary>
    public JsonObject Json { get; }

    public string Name { get; }

    public string Version { get; }

    public long ReleaseVersion { get; }

    public string PackagingVersion => Text("packagingVersion") ?? "2.0";

    public bool Framework => Json["framework"] is JsonValue v && v.TryGetValue(out bool b) && b;

    public bool Selected => Json["selected"] is JsonValue v && v.TryGetValue(out bool b) && b;

    public string Description => Text("description") ?? string.Empty;

    public IReadOnlyList<string> Tags =>
        Json["tags"] is JsonArray tags ? tags.Select(t => t is JsonValue v && v.TryGetValue(out string? s) ? s : null).OfType<string>().ToList() : [];

    public string? PreInstallNotes => Text("preInstallNotes");

    public string? PostInstallNotes => Text("postInstallNotes");

    public string? PostUninstallNotes => Text("postUninstallNotes");

    public JsonObject? Config => Json["config"] as JsonObject;

    public JsonObject? Resource => Json["resource"] as JsonObject;

    /// <summary>The Marathon template's text, or null when the package has none (3.0+ may omit it).</summary>
    public string? MarathonTemplate =>
        Json["marathon"]?["v2AppMustacheTemplate"] is JsonValue v && v.TryGetValue(out string? b64) && b64 is not null
            ? Encoding.UTF8.GetString(Convert.FromBase64String(b64))
            : null;

    /// <summary>Images: 3.0+ keep them in <c>resource.images</c>, 2.0 packages at the top.</summary>
    public JsonNode? Images => Resource?["images"] ?? Json["images"];

    /// <summary>Reads an index entry; null with the reason when a required field is missing or malformed.</summary>
    public static PackageDefinition? TryRead(JsonNode? node, out string? error)
    {
        error = null;
        if (node is not JsonObject json)
        {
            error = "a package entry is not a JSON object";
            return null;
        }

        string? name = json["name"] is JsonValue n && n.TryGetValue(out string? s) ? s : null;
        string? version = json["version"] is JsonValue ver && ver.TryGetValue(out string? vs) ? vs : null;
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(version))
        {
            error = "a package entry lacks name or version";
            return null;
        }

        long release = 0;
        if (json["releaseVersion"] is JsonValue r && !r.TryGetValue(out release))
        {
            error = $"package {name}: releaseVersion is not an integer";
            return null;
        }

        if (json["marathon"]?["v2AppMustacheTemplate"] is JsonValue t && (!t.TryGetValue(out string? b64) || !IsBase64(b64)))
        {
            error = $"package {name} {version}: marathon.v2AppMustacheTemplate is not base64";
            return null;
        }

        return new PackageDefinition(json, name, version, release);
    }

    /// <summary>package.json's fields as the list and search answers show them (no template, config, resource or command).</summary>
    public JsonObject Metadata()
    {
        var meta = new JsonObject();
        foreach (var (key, value) in Json)
        {
            if (key is not ("marathon" or "config" or "resource" or "command" or "releaseVersion"))
            {
                meta[key] = value?.DeepClone();
            }
        }

        return meta;
    }

    private string? Text(string key) => Json[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static bool IsBase64(string? text)
    {
        if (text is null)
        {
            return false;
        }

        var buffer = new byte[((text.Length * 3) / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out _);
    }
}
