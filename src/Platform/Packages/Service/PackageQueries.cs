using System.Globalization;
using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Model;
using Minuet.Platform.Packages.Repositories;

namespace Minuet.Platform.Packages.Service;

/// <summary>The read-only calls: <c>search</c>, <c>describe</c> and <c>list-versions</c>.</summary>
internal sealed class PackageQueries
{
    private readonly PackageCatalog _catalog;

    public PackageQueries(PackageCatalog catalog) => _catalog = catalog;

    public async Task<Outcome<JsonObject>> SearchAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var query = RequestFields.OptionalString(request, "query");
        if (!query.IsSuccess)
        {
            return query.Error;
        }

        var match = PackageCatalog.Matcher(query.Value);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<JsonObject>();
        foreach (var (_, packages) in await _catalog.LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!packages.IsSuccess)
            {
                continue; // logged by the cache; the other repositories still answer
            }

            foreach (var group in packages.Value.GroupBy(p => p.Name))
            {
                var revisions = group.OrderBy(p => p.ReleaseVersion).ToList();
                var current = revisions[^1];
                if (seen.Contains(group.Key) || !revisions.Any(match))
                {
                    continue;
                }

                seen.Add(group.Key);
                var versions = new JsonObject();
                foreach (var r in revisions)
                {
                    versions[r.Version] = r.ReleaseVersion.ToString(CultureInfo.InvariantCulture);
                }

                results.Add(new JsonObject
                {
                    ["name"] = current.Name,
                    ["currentVersion"] = current.Version,
                    ["versions"] = versions,
                    ["description"] = current.Description,
                    ["framework"] = current.Framework,
                    ["tags"] = new JsonArray(current.Tags.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
                    ["selected"] = current.Selected,
                    ["images"] = current.Images?.DeepClone(),
                });
            }
        }

        return new JsonObject { ["packages"] = new JsonArray(results.OrderBy(r => r["name"]!.GetValue<string>(), StringComparer.Ordinal).ToArray<JsonNode>()) };
    }

    /// <summary>v1: <c>{package, marathonMustache, config, resource, command}</c>; v2: the definition itself; v3: <c>{package: definition}</c>.</summary>
    public async Task<Outcome<JsonObject>> DescribeAsync(JsonObject request, string responseVersion, CancellationToken cancellationToken)
    {
        var name = RequestFields.RequiredString(request, "packageName");
        var version = RequestFields.OptionalString(request, "packageVersion");
        if (!name.IsSuccess || !version.IsSuccess)
        {
            return name.Error ?? version.Error!;
        }

        var found = await _catalog.FindAsync(name.Value, version.Value, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var package = found.Value.Package;
        if (responseVersion == "v1")
        {
            var v1 = new JsonObject { ["package"] = package.Metadata() };
            if (package.MarathonTemplate is { } template)
            {
                v1["marathonMustache"] = template;
            }

            foreach (var key in new[] { "config", "resource", "command" })
            {
                if (package.Json[key] is { } value)
                {
                    v1[key] = value.DeepClone();
                }
            }

            return v1;
        }

        var definition = (JsonObject)package.Json.DeepClone();
        return responseVersion == "v2" ? definition : new JsonObject { ["package"] = definition };
    }

    public async Task<Outcome<JsonObject>> ListVersionsAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var name = RequestFields.RequiredString(request, "packageName");
        if (!name.IsSuccess)
        {
            return name.Error;
        }

        var found = await _catalog.RevisionsAsync(name.Value, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var results = new JsonObject();
        foreach (var revision in found.Value.Revisions)
        {
            results[revision.Version] = revision.ReleaseVersion.ToString(CultureInfo.InvariantCulture);
        }

        return new JsonObject { ["results"] = results };
    }
}
