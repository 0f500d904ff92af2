using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Minuet.Platform.Packages.Build;

/// <summary>
/// Universe's <c>gen_universe.py</c>: every package revision folder (<c>.../&lt;name&gt;/&lt;N&gt;/package.json</c>, as in
/// Universe's <c>repo/packages/&lt;Letter&gt;/&lt;name&gt;/&lt;N&gt;</c>) becomes one index entry: package.json plus
/// <c>releaseVersion</c> N, <c>marathon.v2AppMustacheTemplate</c> (base64 of marathon.json.mustache), <c>config</c>,
/// <c>resource</c> and <c>command</c>. Every problem found is reported, each naming its file.
/// </summary>
internal static partial class UniverseBuilder
{
    public const string MediaTypeV4 = "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v4";

    /// <summary>The repository index of every package folder under <paramref name="directory"/>, or the problems found.</summary>
    public static JsonObject? Build(string directory, List<string> errors)
    {
        if (!Directory.Exists(directory))
        {
            errors.Add($"{directory}: no such directory");
            return null;
        }

        var entries = new List<JsonObject>();
        foreach (var file in Directory.EnumerateFiles(directory, "package.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string folder = Path.GetDirectoryName(file)!;
            if (!long.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out long release))
            {
                errors.Add($"{folder}: a package folder is named by its release number (e.g. hello-world/0), not \"{Path.GetFileName(folder)}\"");
                continue;
            }

            if (ReadPackage(folder, release, errors) is { } entry)
            {
                entries.Add(entry);
            }
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var duplicates = entries.GroupBy(e => (Name: (string)e["name"]!, Release: (long)e["releaseVersion"]!)).Where(g => g.Count() > 1).ToList();
        foreach (var duplicate in duplicates)
        {
            errors.Add($"package {duplicate.Key.Name}: release {duplicate.Key.Release} appears {duplicate.Count()} times");
        }

        if (entries.Count == 0)
        {
            errors.Add($"{directory}: no package folders (<name>/<N>/package.json) found");
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var ordered = entries.OrderBy(e => (string)e["name"]!, StringComparer.Ordinal).ThenBy(e => (long)e["releaseVersion"]!);
        return new JsonObject { ["packages"] = new JsonArray(ordered.Select(e => (JsonNode)e).ToArray()) };
    }

    /// <summary>One revision folder as an index entry, or null with its problems added to <paramref name="errors"/>.</summary>
    public static JsonObject? ReadPackage(string folder, long releaseVersion, List<string> errors)
    {
        int before = errors.Count;
        var package = ReadObject(Path.Combine(folder, "package.json"), required: true, errors);
        var config = ReadObject(Path.Combine(folder, "config.json"), required: false, errors);
        var resource = ReadObject(Path.Combine(folder, "resource.json"), required: false, errors);
        var command = ReadObject(Path.Combine(folder, "command.json"), required: false, errors);
        string templatePath = Path.Combine(folder, "marathon.json.mustache");
        string? template = File.Exists(templatePath) ? File.ReadAllText(templatePath) : null;
        if (package is null)
        {
            return null;
        }

        string where = Path.Combine(folder, "package.json");
        foreach (var field in new[] { "packagingVersion", "name", "version", "maintainer", "description", "tags" })
        {
            if (package[field] is null)
            {
                errors.Add($"{where}: {field} is required");
            }
        }

        string? packaging = package["packagingVersion"] is JsonValue pv && pv.TryGetValue(out string? p) ? p : null;
        if (packaging is not null and not ("2.0" or "3.0" or "4.0"))
        {
            errors.Add($"{where}: packagingVersion must be 2.0, 3.0 or 4.0, got \"{packaging}\"");
        }

        if (package["name"] is JsonValue nv && (!nv.TryGetValue(out string? name) || !NamePattern().IsMatch(name)))
        {
            errors.Add($"{where}: name must match ^[a-z][a-z0-9-]*[a-z0-9]$");
        }

        if (packaging == "2.0" && template is null)
        {
            errors.Add($"{folder}: marathon.json.mustache is required for packagingVersion 2.0");
        }

        if (packaging == "4.0" && command is not null)
        {
            errors.Add($"{folder}: command.json is not allowed for packagingVersion 4.0");
        }

        if (errors.Count > before)
        {
            return null;
        }

        var entry = (JsonObject)package.DeepClone();
        entry["releaseVersion"] = releaseVersion;
        if (template is not null)
        {
            entry["marathon"] = new JsonObject { ["v2AppMustacheTemplate"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(template)) };
        }

        if (config is not null)
        {
            entry["config"] = config;
        }

        if (resource is not null)
        {
            entry["resource"] = resource;
        }

        if (command is not null)
        {
            entry["command"] = command;
        }

        return entry;
    }

    private static JsonObject? ReadObject(string path, bool required, List<string> errors)
    {
        if (!File.Exists(path))
        {
            if (required)
            {
                errors.Add($"{path}: missing");
            }

            return null;
        }

        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is JsonObject o)
            {
                return o;
            }

            errors.Add($"{path}: must be a JSON object");
        }
        catch (JsonException e)
        {
            errors.Add($"{path}: not valid JSON: {e.Message}");
        }
        catch (IOException e)
        {
            errors.Add($"{path}: cannot read: {e.Message}");
        }

        return null;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*[a-z0-9]$")]
    private static partial Regex NamePattern();
}
