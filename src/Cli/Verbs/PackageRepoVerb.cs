using System.CommandLine;
using System.Text.Json.Nodes;
using Minuet.Cli.Client;

namespace Minuet.Cli.Verbs;

/// <summary><c>package repo list | add NAME URL [--index N] | remove NAME</c>: the package service's repository list.</summary>
internal static class PackageRepoVerb
{
    public static Command Create()
    {
        var command = new Command("repo", "List, add and remove package repositories (the first repository that has a package wins).");
        var url = PackageCall.UrlOption();
        var json = PackageCall.JsonOption();
        var list = new Command("list", "List repositories in the order they are searched.") { url, json };
        list.SetAction((parse, cancellationToken) => RunAsync(parse, "repo list", "list", new JsonObject(), url, json, cancellationToken));

        var name = new Argument<string>("name") { Description = "Repository name." };
        var uri = new Argument<string>("url") { Description = "URL of the repository index (a Universe repo document)." };
        var index = new Option<int?>("--index") { Description = "Position in the list (0 = searched first; default last)." };
        var addUrl = PackageCall.UrlOption();
        var addJson = PackageCall.JsonOption();
        var add = new Command("add", "Add a repository.") { name, uri, index, addUrl, addJson };
        add.SetAction((parse, cancellationToken) =>
        {
            var body = new JsonObject { ["name"] = parse.GetValue(name), ["uri"] = parse.GetValue(uri) };
            if (parse.GetValue(index) is { } at)
            {
                body["index"] = at;
            }

            return RunAsync(parse, "repo add", "add", body, addUrl, addJson, cancellationToken);
        });

        var removeName = new Argument<string>("name") { Description = "Repository name." };
        var removeUrl = PackageCall.UrlOption();
        var removeJson = PackageCall.JsonOption();
        var remove = new Command("remove", "Remove a repository.") { removeName, removeUrl, removeJson };
        remove.SetAction((parse, cancellationToken) =>
            RunAsync(parse, "repo remove", "delete", new JsonObject { ["name"] = parse.GetValue(removeName) }, removeUrl, removeJson, cancellationToken));

        command.Subcommands.Add(list);
        command.Subcommands.Add(add);
        command.Subcommands.Add(remove);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, string verb, string call, JsonObject body, Option<string> url, Option<bool> json, CancellationToken cancellationToken)
    {
        var (answer, exit) = await PackageCall.RunAsync(parse, verb, parse.GetValue(url)!, "repository/" + call, "repository." + call, "v1", body, cancellationToken).ConfigureAwait(false);
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

        var rows = (answer["repositories"] as JsonArray ?? []).Select((r, i) => new[] { i.ToString(System.Globalization.CultureInfo.InvariantCulture), r?["name"]?.ToString() ?? string.Empty, r?["uri"]?.ToString() ?? string.Empty });
        await output.WriteAsync(TextTable.Format(["INDEX", "NAME", "URI"], rows)).ConfigureAwait(false);
        return 0;
    }
}
