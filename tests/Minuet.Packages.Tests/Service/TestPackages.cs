using System.Text;
using System.Text.Json.Nodes;

namespace Minuet.Packages.Tests.Service;

/// <summary>Small package index entries (process apps the in-process scheduler accepts) and repository documents.</summary>
internal static class TestPackages
{
    public const string V4 = "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v4";

    public static JsonObject Entry(string name, string version, long release, string? template = null, JsonObject? config = null, bool framework = false)
    {
        template ??= "{\"id\":\"/{{app.name}}\",\"cmd\":\"sleep 1000\",\"cpus\":0.1,\"mem\":16,\"instances\":{{app.instances}}" +
            (framework ? ",\"labels\":{\"DCOS_PACKAGE_FRAMEWORK_NAME\":\"{{app.name}}\"}" : string.Empty) + "}";
        config ??= CosmosClient.Json("""{"type":"object","properties":{"app":{"type":"object","properties":{"name":{"type":"string","default":"NAME"},"instances":{"type":"integer","minimum":0,"default":0}}}}}""".Replace("NAME", name, StringComparison.Ordinal));
        return new JsonObject
        {
            ["packagingVersion"] = "4.0",
            ["name"] = name,
            ["version"] = version,
            ["releaseVersion"] = release,
            ["maintainer"] = "tests@localhost",
            ["description"] = $"{name} for tests",
            ["tags"] = new JsonArray("test"),
            ["framework"] = framework,
            ["postInstallNotes"] = $"{name} installed",
            ["postUninstallNotes"] = $"{name} removed",
            ["marathon"] = new JsonObject { ["v2AppMustacheTemplate"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(template)) },
            ["config"] = config,
        };
    }

    public static string Index(params JsonObject[] entries) => new JsonObject { ["packages"] = new JsonArray(entries.Select(e => (JsonNode)e).ToArray()) }.ToJsonString();
}
