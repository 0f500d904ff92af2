using System.CommandLine;
using System.Text.Json.Nodes;
using Minuet.Cli.Client;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet package search|describe|render|install|list|uninstall|repo|build</c>: DC/OS's <c>dcos package</c> verbs
/// against the package service (Cosmos API), plus Universe's repository tool.
/// </summary>
internal static partial class PackageVerb
{
    public static Command Create()
    {
        var command = new Command("package", "Find, install and remove packages from Universe repositories through the package service (minuet up serves it on 127.0.0.1:7070, with a local Universe).");
        command.Subcommands.Add(Search());
        command.Subcommands.Add(Describe());
        command.Subcommands.Add(Render());
        command.Subcommands.Add(Install());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Uninstall());
        command.Subcommands.Add(PackageRepoVerb.Create());
        command.Subcommands.Add(PackageBuildVerb.Create());
        return command;
    }

    private static Command Search()
    {
        var query = new Argument<string?>("query") { Description = "Words to find in names, descriptions and tags (* makes it a glob).", Arity = ArgumentArity.ZeroOrOne };
        var (url, json) = (PackageCall.UrlOption(), PackageCall.JsonOption());
        var command = new Command("search", "Search the repositories' packages.") { query, url, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var body = new JsonObject();
            if (parse.GetValue(query) is { } q)
            {
                body["query"] = q;
            }

            var (answer, exit) = await PackageCall.RunAsync(parse, "search", parse.GetValue(url)!, "search", "search", "v1", body, cancellationToken).ConfigureAwait(false);
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

            var rows = (answer["packages"] as JsonArray ?? []).Select(p => new[]
            {
                p?["name"]?.ToString() ?? string.Empty, p?["currentVersion"]?.ToString() ?? string.Empty,
                p?["selected"]?.GetValue<bool>() == true ? "True" : "False", p?["framework"]?.GetValue<bool>() == true ? "True" : "False",
                OneLine(p?["description"]?.ToString()),
            });
            await output.WriteAsync(TextTable.Format(["NAME", "VERSION", "SELECTED", "FRAMEWORK", "DESCRIPTION"], rows)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Describe()
    {
        var name = new Argument<string>("name") { Description = "Package name." };
        var config = new Option<bool>("--config") { Description = "Print the package's config.json (the options and their defaults)." };
        var version = new Option<string?>("--package-version") { Description = "A version other than the newest." };
        var (url, json) = (PackageCall.UrlOption(), PackageCall.JsonOption());
        var command = new Command("describe", "Show a package's definition (package.json fields, resources), or with --config its options schema.") { name, config, version, url, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (answer, exit) = await DescribeAsync(parse, "describe", parse.GetValue(url)!, parse.GetValue(name)!, parse.GetValue(version), cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                return exit;
            }

            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(config))
            {
                await output.WriteLineAsync(answer["config"] is { } c ? PackageCall.Pretty(c) : "{}").ConfigureAwait(false);
                return 0;
            }

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(answer.ToJsonString()).ConfigureAwait(false);
                return 0;
            }

            var shown = (JsonObject)answer.DeepClone();
            shown.Remove("marathon");
            shown.Remove("config");
            shown.Remove("command");

            await output.WriteLineAsync(PackageCall.Pretty(shown)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Render()
    {
        var (name, version, options, appId) = InstallArguments();
        var url = PackageCall.UrlOption();
        var command = new Command("render", "Print the Marathon app the package would install with these options (nothing is installed).") { name, version, options, appId, url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var body = await InstallBodyAsync(parse, "render", name, version, options, appId, cancellationToken).ConfigureAwait(false);
            if (body is null)
            {
                return 1;
            }

            var (answer, exit) = await PackageCall.RunAsync(parse, "render", parse.GetValue(url)!, "render", "render", "v1", body, cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                return exit;
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync(PackageCall.Pretty(answer["marathonJson"]!)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Install()
    {
        var (name, version, options, appId) = InstallArguments();
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation." };
        var (url, json) = (PackageCall.UrlOption(), PackageCall.JsonOption());
        var command = new Command("install", "Install a package: its Marathon app, rendered with your options, is created in Marathon.") { name, version, options, appId, yes, url, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var body = await InstallBodyAsync(parse, "install", name, version, options, appId, cancellationToken).ConfigureAwait(false);
            if (body is null)
            {
                return 1;
            }

            // As dcos-cli does: describe for the notes, ask, render to fail early on bad options, then install.
            var (package, exit) = await DescribeAsync(parse, "install", parse.GetValue(url)!, parse.GetValue(name)!, parse.GetValue(version), cancellationToken).ConfigureAwait(false);
            if (package is null)
            {
                return exit;
            }

            body["packageVersion"] = package["version"]?.GetValue<string>();
            if (package["preInstallNotes"]?.ToString() is { Length: > 0 } pre)
            {
                await output.WriteLineAsync(pre).ConfigureAwait(false);
            }

            if (!parse.GetValue(yes) && !await ConfirmAsync(parse, "Continue installing? [yes/no] ").ConfigureAwait(false))
            {
                return 1;
            }

            var (rendered, renderExit) = await PackageCall.RunAsync(parse, "install", parse.GetValue(url)!, "render", "render", "v1", body, cancellationToken).ConfigureAwait(false);
            if (rendered is null)
            {
                return renderExit;
            }

            await output.WriteLineAsync($"Installing Marathon app for package [{parse.GetValue(name)}] version [{package["version"]}]").ConfigureAwait(false);
            var (answer, installExit) = await PackageCall.RunAsync(parse, "install", parse.GetValue(url)!, "install", "install", "v2", body, cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                return installExit;
            }

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(answer.ToJsonString()).ConfigureAwait(false);
                return 0;
            }

            await output.WriteLineAsync($"Installed {answer["packageName"]} {answer["packageVersion"]} as app {answer["appId"]}.").ConfigureAwait(false);
            if (answer["postInstallNotes"]?.ToString() is { Length: > 0 } post)
            {
                await output.WriteLineAsync(post).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static (Argument<string> Name, Option<string?> Version, Option<string?> Options, Option<string?> AppId) InstallArguments() =>
        (new Argument<string>("name") { Description = "Package name." },
         new Option<string?>("--package-version") { Description = "A version other than the newest." },
         new Option<string?>("--options") { Description = "JSON file of options (- reads standard input), merged over the package's defaults." },
         new Option<string?>("--app-id") { Description = "Marathon app id to use instead of the package's." });

    private static async Task<JsonObject?> InstallBodyAsync(ParseResult parse, string verb, Argument<string> name, Option<string?> version, Option<string?> options, Option<string?> appId, CancellationToken cancellationToken)
    {
        var (values, error) = await PackageCall.ReadOptionsAsync(parse.GetValue(options), cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"minuet package {verb}: {error}").ConfigureAwait(false);
            return null;
        }

        var body = new JsonObject { ["packageName"] = parse.GetValue(name) };
        if (parse.GetValue(version) is { } v)
        {
            body["packageVersion"] = v;
        }

        if (values is not null)
        {
            body["options"] = values;
        }

        if (parse.GetValue(appId) is { } id)
        {
            body["appId"] = id;
        }

        return body;
    }

    private static async Task<(JsonObject? Package, int Exit)> DescribeAsync(ParseResult parse, string verb, string url, string name, string? version, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["packageName"] = name };
        if (version is not null)
        {
            body["packageVersion"] = version;
        }

        var (answer, exit) = await PackageCall.RunAsync(parse, verb, url, "describe", "describe", "v2", body, cancellationToken).ConfigureAwait(false);
        return (answer as JsonObject, answer is JsonObject ? 0 : exit == 0 ? 2 : exit);
    }

    private static async Task<bool> ConfirmAsync(ParseResult parse, string question)
    {
        if (Console.IsInputRedirected && Console.In.Peek() < 0)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync("minuet package: no answer on standard input; add --yes to go ahead without asking").ConfigureAwait(false);
            return false;
        }

        await parse.InvocationConfiguration.Output.WriteAsync(question).ConfigureAwait(false);
        string? reply = Console.ReadLine()?.Trim().ToLowerInvariant();
        return reply is "yes" or "y";
    }

    private static string OneLine(string? text)
    {
        string line = (text ?? string.Empty).ReplaceLineEndings(" ");
        return line.Length <= 70 ? line : line[..67] + "...";
    }
}
