using System.CommandLine;
using Minuet.Cli.Client;

namespace Minuet.Cli.Verbs;

/// <summary><c>minuet task list</c>: every task Marathon runs (<c>GET /v2/tasks</c>).</summary>
internal static class TaskVerb
{
    public static Command Create()
    {
        var (url, json) = (MarathonCall.UrlOption(), MarathonCall.JsonOption());
        var list = new Command("list", "List tasks: app, host, ports, state, health.") { url, json };
        list.SetAction((parse, cancellationToken) => MarathonCall.RunAsync(
            parse, "task list", parse.GetValue(url)!, HttpMethod.Get, "v2/tasks", null, parse.GetValue(json),
            answer => MarathonTables.TryFormatTasks(answer, out var table, out _) ? table : null, cancellationToken));
        var command = new Command("task", "List tasks through the Marathon /v2 API.");
        command.Subcommands.Add(list);
        return command;
    }
}
