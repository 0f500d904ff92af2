using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Minuet.Cli.Client;

namespace Minuet.Cli.Verbs;

/// <summary><c>minuet app add FILE | list | scale ID N | remove ID</c> against the Marathon <c>/v2</c> API.</summary>
internal static class AppVerb
{
    public static Command Create()
    {
        var command = new Command("app", "Add, list, scale and remove apps through the Marathon /v2 API (minuet up serves it on 127.0.0.1:8080).");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Scale());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command Add()
    {
        var file = new Argument<string>("file") { Description = "App definition as Marathon accepts it (JSON; - reads standard input)." };
        var (url, json) = (MarathonCall.UrlOption(), MarathonCall.JsonOption());
        var command = new Command("add", "Create an app (or a group, when the file has apps/groups) from a Marathon JSON definition; prints the deployment, or each refused field with its reason.") { file, url, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string path = parse.GetValue(file)!;
            string body;
            bool isGroup;
            try
            {
                body = path == "-"
                    ? await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                    : await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
                using var doc = JsonDocument.Parse(body);
                isGroup = IsGroup(doc.RootElement);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"minuet app add: cannot read {path}: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
            catch (JsonException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"minuet app add: {path} is not valid JSON: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            // A group body (Marathon's /v2/groups: apps and groups inside, no command) is created as a group.
            return isGroup
                ? await MarathonCall.RunAsync(parse, "app add", parse.GetValue(url)!, HttpMethod.Post, "v2/groups", body, parse.GetValue(json),
                    answer => $"Created group {GroupId(body) ?? "/"}{MarathonCall.DeploymentOf(answer)}.\n", cancellationToken).ConfigureAwait(false)
                : await MarathonCall.RunAsync(parse, "app add", parse.GetValue(url)!, HttpMethod.Post, "v2/apps", body, parse.GetValue(json),
                    answer => $"Created {AppId(answer) ?? "app"}{MarathonCall.DeploymentOf(answer)}.\n", cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command List()
    {
        var (url, json) = (MarathonCall.UrlOption(), MarathonCall.JsonOption());
        var command = new Command("list", "List apps with their instances, running and healthy counts; for an app short of instances, why (last task failure, backoff, offers that do not fit).") { url, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The queue explains waiting apps; without it the failures alone are still shown.
            string? queue = null;
            using (var client = MarathonClient.Create(parse.GetValue(url)!, out _))
            {
                if (client is not null && !parse.GetValue(json))
                {
                    var answer = await client.SendAsync(HttpMethod.Get, "v2/queue", null, cancellationToken).ConfigureAwait(false);
                    queue = answer.IsSuccess ? answer.Body : null;
                }
            }

            return await MarathonCall.RunAsync(
                parse, "app list", parse.GetValue(url)!, HttpMethod.Get, "v2/apps?embed=apps.lastTaskFailure", null, parse.GetValue(json),
                answer => MarathonTables.TryFormatApps(answer, queue, out var table, out _) ? table : null, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Scale()
    {
        var id = new Argument<string>("id") { Description = "App id, e.g. /web or web." };
        var instances = new Argument<int>("instances") { Description = "How many instances to run." };
        var (url, json) = (MarathonCall.UrlOption(), MarathonCall.JsonOption());
        var force = ForceOption();
        var command = new Command("scale", "Change how many instances an app runs (a deployment starts or stops tasks).") { id, instances, url, json, force };
        command.SetAction(async (parse, cancellationToken) =>
        {
            int count = parse.GetValue(instances);
            if (count < 0)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"minuet app scale: instances must be 0 or more, got {count}").ConfigureAwait(false);
                return 1;
            }

            string appId = Normalize(parse.GetValue(id)!);
            string body = "{\"instances\":" + count.ToString(CultureInfo.InvariantCulture) + "}";
            return await MarathonCall.RunAsync(parse, "app scale", parse.GetValue(url)!, HttpMethod.Patch, "v2/apps" + appId + ForceQuery(parse, force), body, parse.GetValue(json),
                answer => $"Scaling {appId} to {count}{MarathonCall.DeploymentOf(answer)}.\n", cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Remove()
    {
        var id = new Argument<string>("id") { Description = "App id, e.g. /web or web." };
        var (url, json) = (MarathonCall.UrlOption(), MarathonCall.JsonOption());
        var force = ForceOption();
        var command = new Command("remove", "Destroy an app and kill its tasks.") { id, url, json, force };
        command.SetAction((parse, cancellationToken) =>
        {
            string appId = Normalize(parse.GetValue(id)!);
            return MarathonCall.RunAsync(parse, "app remove", parse.GetValue(url)!, HttpMethod.Delete, "v2/apps" + appId + ForceQuery(parse, force), null, parse.GetValue(json),
                answer => $"Removing {appId}{MarathonCall.DeploymentOf(answer)}.\n", cancellationToken);
        });
        return command;
    }

    private static Option<bool> ForceOption() => new("--force")
    {
        Description = "Go ahead even when a deployment of the app is in progress (Marathon's ?force=true: that deployment is cancelled).",
    };

    private static string ForceQuery(ParseResult parse, Option<bool> force) => parse.GetValue(force) ? "?force=true" : string.Empty;

    /// <summary>Marathon ids are absolute paths; <c>web</c> means <c>/web</c>.</summary>
    internal static string Normalize(string id) => "/" + string.Join('/', id.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));

    /// <summary>A Marathon group: an object with <c>apps</c> or <c>groups</c> and neither <c>cmd</c> nor <c>args</c>.</summary>
    internal static bool IsGroup(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object &&
        (root.TryGetProperty("apps", out _) || root.TryGetProperty("groups", out _)) &&
        !root.TryGetProperty("cmd", out _) && !root.TryGetProperty("args", out _);

    private static string? GroupId(string body) => AppId(body);

    private static string? AppId(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("id", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
