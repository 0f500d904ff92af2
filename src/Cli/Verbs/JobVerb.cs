using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using Minuet.Cli.Client;

namespace Minuet.Cli.Verbs;

/// <summary><c>minuet job add FILE | list | run ID | history ID | remove ID</c> against Metronome's <c>/v1/jobs</c> API.</summary>
internal static class JobVerb
{
    public static Command Create()
    {
        var command = new Command("job", "Add, list, run and remove scheduled jobs, and show their history, through Metronome's /v1/jobs API (minuet up serves it on 127.0.0.1:9000 and at /service/metronome/).");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Run());
        command.Subcommands.Add(History());
        command.Subcommands.Add(Remove());
        return command;
    }

    /// <summary>The jobs API through Admin Router (<c>--url</c>/service/metronome), unless given directly.</summary>
    private static Option<string> UrlOption() => new("--metronome")
    {
        Description = "Base URL of the Metronome /v1 API, direct (default: <--url>/service/metronome through Admin Router).",
        DefaultValueFactory = Default,
    };

    private static string Default(ArgumentResult result)
    {
        string? url = (result.Parent?.Parent as CommandResult)?.Children.OfType<OptionResult>()
            .FirstOrDefault(o => o.Option.Name == ClusterClient.UrlOptionName)?.GetValueOrDefault<string?>();
        return ClusterClient.RouterUrl(url) + "/service/metronome";
    }

    private static Command Add()
    {
        var file = new Argument<string>("file") { Description = "Job definition as Metronome accepts it (JSON with id, run, optional schedules; - reads standard input)." };
        var (url, json) = (UrlOption(), MarathonCall.JsonOption());
        var command = new Command("add", "Create a job from a Metronome JSON definition; prints it, or each refused field with its reason.") { file, url, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string path = parse.GetValue(file)!;
            string body;
            try
            {
                body = path == "-"
                    ? await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                    : await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"minuet job add: cannot read {path}: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            return await MarathonCall.RunAsync(parse, "job add", parse.GetValue(url)!, HttpMethod.Post, "v1/jobs", body, parse.GetValue(json),
                answer => $"Created job {Id(answer)}{Next(answer)}.\n", cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command List()
    {
        var (url, json) = (UrlOption(), MarathonCall.JsonOption());
        var command = new Command("list", "List jobs: schedule, next run, active runs, success/failure/skip counts and last times.") { url, json };
        command.SetAction((parse, cancellationToken) => MarathonCall.RunAsync(parse, "job list", parse.GetValue(url)!, HttpMethod.Get, "v1/jobs?embed=activeRuns&embed=historySummary", null,
            parse.GetValue(json), JobTables.Jobs, cancellationToken));
        return command;
    }

    private static Command Run()
    {
        var id = new Argument<string>("id") { Description = "The job's id." };
        var (url, json) = (UrlOption(), MarathonCall.JsonOption());
        var command = new Command("run", "Start a run of a job now.") { id, url, json };
        command.SetAction((parse, cancellationToken) => MarathonCall.RunAsync(parse, "job run", parse.GetValue(url)!, HttpMethod.Post, $"v1/jobs/{Uri.EscapeDataString(parse.GetValue(id)!)}/runs", "{}",
            parse.GetValue(json), answer => $"Started run {JobTables.Str(Parse(answer), "id")} of {parse.GetValue(id)}.\n", cancellationToken));
        return command;
    }

    private static Command History()
    {
        var id = new Argument<string>("id") { Description = "The job's id." };
        var (url, json) = (UrlOption(), MarathonCall.JsonOption());
        var command = new Command("history", "Show a job's counts, active and finished runs, and skipped occurrences with their reasons.") { id, url, json };
        command.SetAction((parse, cancellationToken) => MarathonCall.RunAsync(parse, "job history", parse.GetValue(url)!, HttpMethod.Get, $"v1/jobs/{Uri.EscapeDataString(parse.GetValue(id)!)}?embed=history&embed=activeRuns", null,
            parse.GetValue(json), JobTables.History, cancellationToken));
        return command;
    }

    private static Command Remove()
    {
        var id = new Argument<string>("id") { Description = "The job's id." };
        var (url, json) = (UrlOption(), MarathonCall.JsonOption());
        var command = new Command("remove", "Remove a job (its active runs are stopped).") { id, url, json };
        command.SetAction((parse, cancellationToken) => MarathonCall.RunAsync(parse, "job remove", parse.GetValue(url)!, HttpMethod.Delete, $"v1/jobs/{Uri.EscapeDataString(parse.GetValue(id)!)}", null,
            parse.GetValue(json), _ => $"Removed job {parse.GetValue(id)}.\n", cancellationToken));
        return command;
    }

    private static JsonElement Parse(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    private static string Id(string body) => JobTables.Str(Parse(body), "id") ?? "?";

    private static string Next(string body)
    {
        var root = Parse(body);
        return root.TryGetProperty("schedules", out var s) && s.ValueKind == JsonValueKind.Array && s.GetArrayLength() > 0 && JobTables.Str(s[0], "nextRunAt") is { } next
            ? $" (next run {next})"
            : string.Empty;
    }
}
