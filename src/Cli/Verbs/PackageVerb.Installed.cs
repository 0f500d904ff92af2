using System.CommandLine;
using System.Text.Json.Nodes;
using Minuet.Cli.Client;

namespace Minuet.Cli.Verbs;

/// <summary><c>package list</c> and <c>package uninstall</c>: installed packages, as Marathon's app labels tell them.</summary>
internal static partial class PackageVerb
{
    private static Command List()
    {
        var name = new Argument<string?>("name") { Description = "Only this package.", Arity = ArgumentArity.ZeroOrOne };
        var appId = new Option<string?>("--app-id") { Description = "Only the app with this id." };
        var (url, json) = (PackageCall.UrlOption(), PackageCall.JsonOption());
        var command = new Command("list", "List installed packages (one row per Marathon app a package installed).") { name, appId, url, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var body = new JsonObject();
            if (parse.GetValue(name) is { } n)
            {
                body["packageName"] = n;
            }

            if (parse.GetValue(appId) is { } id)
            {
                body["appId"] = id;
            }

            var (answer, exit) = await PackageCall.RunAsync(parse, "list", parse.GetValue(url)!, "list", "list", "v1", body, cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                return exit;
            }

            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(answer.ToJsonString()).ConfigureAwait(false);
                return 0;
            }

            var rows = (answer["packages"] as JsonArray ?? []).Select(p =>
            {
                var definition = p?["packageInformation"]?["packageDefinition"];
                return new[]
                {
                    definition?["name"]?.ToString() ?? string.Empty, definition?["version"]?.ToString() ?? string.Empty, p?["appId"]?.ToString() ?? string.Empty,
                    OneLine(definition?["description"]?.ToString()),
                };
            }).ToList();
            await output.WriteAsync(rows.Count == 0 ? "No packages installed.\n" : TextTable.Format(["NAME", "VERSION", "APP", "DESCRIPTION"], rows)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Uninstall()
    {
        var name = new Argument<string>("name") { Description = "Package name." };
        var appId = new Option<string?>("--app-id") { Description = "The app to remove, when the package is installed more than once." };
        var all = new Option<bool>("--all") { Description = "Remove every app of the package." };
        var (url, json) = (PackageCall.UrlOption(), PackageCall.JsonOption());
        var command = new Command("uninstall", "Remove a package's Marathon app (and, for a framework package, tear down its Mesos framework).") { name, appId, all, url, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var body = new JsonObject { ["packageName"] = parse.GetValue(name) };
            if (parse.GetValue(appId) is { } id)
            {
                body["appId"] = id;
            }

            if (parse.GetValue(all))
            {
                body["all"] = true;
            }

            var (answer, exit) = await PackageCall.RunAsync(parse, "uninstall", parse.GetValue(url)!, "uninstall", "uninstall", "v1", body, cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                return exit;
            }

            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(answer.ToJsonString()).ConfigureAwait(false);
                return 0;
            }

            foreach (var result in answer["results"] as JsonArray ?? [])
            {
                await output.WriteLineAsync($"Uninstalled package [{result?["packageName"]}] version [{result?["packageVersion"]}] (app {result?["appId"]})").ConfigureAwait(false);
                if (result?["postUninstallNotes"]?.ToString() is { Length: > 0 } notes)
                {
                    await output.WriteLineAsync(notes).ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }
}
