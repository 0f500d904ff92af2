using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Minuet.Platform.Packages.Marathon;
using Minuet.Platform.Packages.Model;
using Minuet.Platform.Packages.Rendering;
using Minuet.Platform.Packages.Repositories;

namespace Minuet.Platform.Packages.Service;

/// <summary>
/// <c>render</c>, <c>install</c>, <c>uninstall</c> and <c>list</c>. Installed packages are known only from Marathon's
/// apps and the labels Cosmos puts on them (<see cref="PackageLabels"/>), so nothing here keeps state.
/// </summary>
internal sealed class PackageInstaller
{
    private readonly PackageCatalog _catalog;
    private readonly MarathonApps _marathon;
    private readonly MesosFrameworks? _mesos;
    private readonly ILogger _log;

    public PackageInstaller(PackageCatalog catalog, MarathonApps marathon, MesosFrameworks? mesos, ILogger log)
    {
        _catalog = catalog;
        _marathon = marathon;
        _mesos = mesos;
        _log = log;
    }

    public async Task<Outcome<JsonObject>> RenderAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var rendered = await RenderAppAsync(request, cancellationToken).ConfigureAwait(false);
        return rendered.IsSuccess ? new JsonObject { ["marathonJson"] = rendered.Value.App } : rendered.Error;
    }

    public async Task<Outcome<JsonObject>> InstallAsync(JsonObject request, string responseVersion, CancellationToken cancellationToken)
    {
        var rendered = await RenderAppAsync(request, cancellationToken).ConfigureAwait(false);
        if (!rendered.IsSuccess)
        {
            return rendered.Error;
        }

        var (package, app) = rendered.Value;
        var created = await _marathon.CreateAsync(app, cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            return created.Error;
        }

        string appId = created.Value["id"]?.GetValue<string>() ?? app["id"]?.GetValue<string>() ?? string.Empty;
        Log.Installed(_log, package.Name, package.Version, appId);
        var answer = new JsonObject { ["packageName"] = package.Name, ["packageVersion"] = package.Version, ["appId"] = appId };
        if (responseVersion != "v1")
        {
            if (package.PostInstallNotes is { } notes)
            {
                answer["postInstallNotes"] = notes;
            }

            if (package.Resource?["cli"] is { } cli)
            {
                answer["cli"] = cli.DeepClone();
            }
        }

        return answer;
    }

    public async Task<Outcome<JsonObject>> ListAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var name = RequestFields.OptionalString(request, "packageName");
        var appId = RequestFields.OptionalString(request, "appId");
        if (!name.IsSuccess || !appId.IsSuccess)
        {
            return name.Error ?? appId.Error!;
        }

        var apps = await InstalledAsync(name.Value, appId.Value, cancellationToken).ConfigureAwait(false);
        if (!apps.IsSuccess)
        {
            return apps.Error;
        }

        var packages = new JsonArray();
        foreach (var installed in apps.Value)
        {
            var information = new JsonObject { ["packageDefinition"] = installed.Metadata() };
            if (installed.Definition?["resource"] is { } resource)
            {
                information["resourceDefinition"] = resource.DeepClone();
            }

            packages.Add(new JsonObject { ["appId"] = installed.AppId, ["packageInformation"] = information });
        }

        return new JsonObject { ["packages"] = packages };
    }

    public async Task<Outcome<JsonObject>> UninstallAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var name = RequestFields.RequiredString(request, "packageName");
        var appId = RequestFields.OptionalString(request, "appId");
        var all = RequestFields.OptionalBool(request, "all");
        if (!name.IsSuccess || !appId.IsSuccess || !all.IsSuccess)
        {
            return name.Error ?? appId.Error ?? all.Error!;
        }

        var apps = await InstalledAsync(name.Value, appId.Value, cancellationToken).ConfigureAwait(false);
        if (!apps.IsSuccess)
        {
            return apps.Error;
        }

        var matches = apps.Value;
        if (matches.Count == 0)
        {
            return appId.Value is null
                ? CosmosErrors.PackageNotInstalled(name.Value)
                : new CosmosError("UninstallNonExistentAppForPackage", $"Package [{name.Value}] with id [{appId.Value}] is not installed",
                    new JsonObject { ["packageName"] = name.Value, ["appId"] = appId.Value });
        }

        if (matches.Count > 1 && !all.Value)
        {
            return CosmosErrors.AmbiguousAppId(name.Value, matches.Select(m => m.AppId));
        }

        var results = new JsonArray();
        foreach (var installed in matches)
        {
            if (await _marathon.DeleteAsync(installed.AppId, cancellationToken).ConfigureAwait(false) is { } error)
            {
                return error;
            }

            Log.Uninstalled(_log, name.Value, installed.AppId);
            if (installed.FrameworkName is { } framework && await TeardownAsync(name.Value, framework, cancellationToken).ConfigureAwait(false) is { } teardownError)
            {
                return teardownError;
            }

            var result = new JsonObject { ["packageName"] = name.Value, ["appId"] = installed.AppId };
            if (installed.Version is { } version)
            {
                result["packageVersion"] = version;
            }

            if (installed.Definition?["postUninstallNotes"] is JsonValue notes)
            {
                result["postUninstallNotes"] = notes.DeepClone();
            }

            results.Add(result);
        }

        return new JsonObject { ["results"] = results };
    }

    private async Task<CosmosError?> TeardownAsync(string package, string framework, CancellationToken cancellationToken)
    {
        if (_mesos is null)
        {
            Log.TeardownFailed(_log, framework, package, "no --mesos URL given");
            return null;
        }

        var (ids, error) = await _mesos.FindAsync(framework, cancellationToken).ConfigureAwait(false);
        if (ids is null)
        {
            Log.TeardownFailed(_log, framework, package, error!);
            return null;
        }

        if (ids.Count > 1)
        {
            return CosmosErrors.MultipleFrameworkIds(package, framework, ids);
        }

        foreach (var id in ids)
        {
            if (await _mesos.TeardownAsync(id, cancellationToken).ConfigureAwait(false) is { } failure)
            {
                Log.TeardownFailed(_log, framework, package, failure);
            }
            else
            {
                Log.TornDown(_log, framework, id, package);
            }
        }

        return null;
    }

    private async Task<Outcome<(PackageDefinition Package, JsonObject App)>> RenderAppAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var name = RequestFields.RequiredString(request, "packageName");
        var version = RequestFields.OptionalString(request, "packageVersion");
        var options = RequestFields.OptionalObject(request, "options");
        var appId = RequestFields.OptionalString(request, "appId");
        if (!name.IsSuccess || !version.IsSuccess || !options.IsSuccess || !appId.IsSuccess)
        {
            return name.Error ?? version.Error ?? options.Error ?? appId.Error!;
        }

        var found = await _catalog.FindAsync(name.Value, version.Value, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var (repository, package) = found.Value;
        var app = await PackageRenderer.RenderAsync(package, repository.Uri, options.Value, appId.Value).ConfigureAwait(false);
        return app.IsSuccess ? (package, app.Value) : app.Error;
    }

    private async Task<Outcome<IReadOnlyList<InstalledApp>>> InstalledAsync(string? name, string? appId, CancellationToken cancellationToken)
    {
        var apps = await _marathon.ListAsync(cancellationToken).ConfigureAwait(false);
        if (!apps.IsSuccess)
        {
            return apps.Error;
        }

        string? wanted = appId is null ? null : "/" + appId.Trim('/');
        return apps.Value.Select(InstalledApp.From).OfType<InstalledApp>()
            .Where(a => (name is null || a.Name == name) && (wanted is null || a.AppId == wanted))
            .OrderBy(a => a.AppId, StringComparer.Ordinal).ToList();
    }
}
