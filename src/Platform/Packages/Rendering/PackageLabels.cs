using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Model;

namespace Minuet.Platform.Packages.Rendering;

/// <summary>
/// The labels Cosmos ≥ 0.4 puts on every app it installs, overriding the template's, so that list and uninstall
/// need nothing but Marathon's state. <see cref="FrameworkName"/> is set by framework templates and read back.
/// </summary>
internal static class PackageLabels
{
    public const string Name = "DCOS_PACKAGE_NAME";
    public const string Version = "DCOS_PACKAGE_VERSION";
    public const string Source = "DCOS_PACKAGE_SOURCE";
    public const string Options = "DCOS_PACKAGE_OPTIONS";
    public const string Definition = "DCOS_PACKAGE_DEFINITION";
    public const string FrameworkName = "DCOS_PACKAGE_FRAMEWORK_NAME";

    /// <summary>Cosmos's StorageEnvelope media type for the stored definition.</summary>
    public const string DefinitionMediaType = "application/vnd.dcos.universe.package+json;charset=utf-8;version=v4";

    public static Dictionary<string, string> For(PackageDefinition package, string sourceUri, JsonObject? userOptions) => new()
    {
        [Name] = package.Name,
        [Version] = package.Version,
        [Source] = sourceUri,
        [Options] = CosmosJson.Base64(userOptions ?? new JsonObject()),
        [Definition] = Envelope(package.Json),
    };

    /// <summary>base64 of <c>{"metadata":{Content-Type, Content-Encoding: gzip},"data":"base64(gzip(package))"}</c>.</summary>
    public static string Envelope(JsonObject package)
    {
        var envelope = new JsonObject
        {
            ["metadata"] = new JsonObject { ["Content-Type"] = DefinitionMediaType, ["Content-Encoding"] = "gzip" },
            ["data"] = Convert.ToBase64String(CosmosJson.Gzip(CosmosJson.Print(CosmosJson.DropNulls(package)!))),
        };
        return CosmosJson.Base64(envelope);
    }

    /// <summary>The package stored in a <see cref="Definition"/> label, or null when it is not one.</summary>
    public static JsonObject? ReadEnvelope(string label)
    {
        try
        {
            var envelope = JsonNode.Parse(Convert.FromBase64String(label)) as JsonObject;
            if (envelope?["data"] is not JsonValue data || !data.TryGetValue(out string? b64))
            {
                return null;
            }

            byte[] bytes = Convert.FromBase64String(b64);
            bool gzip = envelope["metadata"]?["Content-Encoding"]?.GetValue<string>() == "gzip";
            string text = gzip ? CosmosJson.Gunzip(bytes) : System.Text.Encoding.UTF8.GetString(bytes);
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidDataException or InvalidOperationException)
        {
            return null;
        }
    }
}
