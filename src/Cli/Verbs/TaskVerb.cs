using System.CommandLine;
using Minuet.Cli.Client;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet task list [--all]</c>: every task Marathon runs (<c>GET /v2/tasks</c>); with <c>--all</c> also the tasks
/// that ended, with their last message, from the master's <c>/master/state</c> (Marathon keeps only each app's last
/// failure).
/// </summary>
internal static class TaskVerb
{
    public static Command Create()
    {
        var (url, json) = (MarathonCall.UrlOption(), MarathonCall.JsonOption());
        var all = new Option<bool>("--all") { Description = "Also list tasks that failed or finished, with their message (from the master's /master/state)." };
        var master = new Option<string?>("--master") { Description = "Master URL for --all, or every master of an HA cluster, comma-separated (default: the master Marathon's /v2/info names); the leader's state is read." };
        var list = new Command("list", "List tasks: app, host, ports, state, health; --all adds ended tasks and why they ended.") { url, json, all, master };
        list.SetAction(async (parse, cancellationToken) =>
        {
            IReadOnlyList<CompletedTasks.Row>? ended = null;
            if (parse.GetValue(all) && !parse.GetValue(json))
            {
                (ended, var problem) = await EndedAsync(parse.GetValue(url)!, parse.GetValue(master), cancellationToken).ConfigureAwait(false);
                if (problem is not null)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"minuet task list: ended tasks not shown: {problem}").ConfigureAwait(false);
                }
            }

            return await MarathonCall.RunAsync(
                parse, "task list", parse.GetValue(url)!, HttpMethod.Get, "v2/tasks", null, parse.GetValue(json),
                answer => MarathonTables.TryFormatTasks(answer, ended ?? (parse.GetValue(all) ? [] : null), out var table, out _) ? table : null, cancellationToken).ConfigureAwait(false);
        });
        var command = new Command("task", "List tasks through the Marathon /v2 API.");
        command.Subcommands.Add(list);
        return command;
    }

    private static async Task<(IReadOnlyList<CompletedTasks.Row>? Rows, string? Problem)> EndedAsync(string marathon, string? masterUrl, CancellationToken cancellationToken)
    {
        using var client = MarathonClient.Create(marathon, out var error);
        if (client is null)
        {
            return (null, error);
        }

        // The master's state has no status messages; each app's last failure has the latest one.
        var apps = await client.SendAsync(HttpMethod.Get, "v2/apps?embed=apps.lastTaskFailure", null, cancellationToken).ConfigureAwait(false);
        var messages = apps.IsSuccess ? CompletedTasks.FailureMessages(apps.Body) : null;
        masterUrl ??= ClusterClient.MasterThrough(marathon);
        if (masterUrl is null)
        {
            var info = await client.SendAsync(HttpMethod.Get, "v2/info", null, cancellationToken).ConfigureAwait(false);
            masterUrl = info.IsSuccess ? CompletedTasks.MasterFromInfo(info.Body) : null;
            if (masterUrl is null)
            {
                return (null, "the master's URL is unknown (Marathon's /v2/info did not name it); pass --master");
            }
        }

        // With several masters (or a standby named), the leader's state is the one that has the tasks.
        masterUrl = await LeadingMasterAsync(masterUrl, cancellationToken).ConfigureAwait(false);
        using var master = MarathonClient.Create(masterUrl, out var urlError);
        if (master is null)
        {
            return (null, urlError?.Replace("--marathon", "--master", StringComparison.Ordinal));
        }

        var state = await master.SendAsync(HttpMethod.Get, "master/state", null, cancellationToken).ConfigureAwait(false);
        if (!state.IsSuccess)
        {
            return (null, state.Failure ?? $"{masterUrl} answered {state.Status} for /master/state");
        }

        return CompletedTasks.Parse(state.Body, messages) is { } rows ? (rows, null) : (null, $"{masterUrl}/master/state is not a master's state");
    }

    /// <summary>The leader found from <paramref name="masters"/> (one URL or a comma-separated list), or the first given when none answers.</summary>
    private static async Task<string> LeadingMasterAsync(string masters, CancellationToken cancellationToken)
    {
        if (!Minuet.Coordination.MasterList.TryParse(masters, out var list, out _))
        {
            return masters; // MarathonClient names what is wrong with it
        }

        using var locator = new Minuet.Coordination.LeaderLocator(list);
        var found = await locator.LookupAsync(cancellationToken).ConfigureAwait(false);
        return (found.Leader ?? list[0]).ToString().TrimEnd('/');
    }
}
