using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.Platform.Jobs.Engine;
using Minuet.Platform.Jobs.Model;
using Minuet.Platform.Jobs.Validation;

namespace Minuet.Platform.Jobs.Http;

/// <summary>
/// Chronos's <c>/v1/scheduler</c> API over the same model (docs/docs/api.md). Where Chronos answered 400 "Cannot
/// parse schedule … (wtf bro)" this answers 422 naming the field and what was expected.
/// </summary>
internal static class ChronosApi
{
    public static void Map(WebApplication app, JobsCore core, TimeProvider time)
    {
        app.MapPost("/v1/scheduler/iso8601", context => UpsertAsync(context, core, time, dependency: false));
        app.MapPost("/v1/scheduler/dependency", context => UpsertAsync(context, core, time, dependency: true));
        app.MapPut("/v1/scheduler/iso8601", context => UpsertAsync(context, core, time, dependency: false));
        app.MapPut("/v1/scheduler/dependency", context => UpsertAsync(context, core, time, dependency: true));
        app.MapGet("/v1/scheduler/job/{name}", (HttpContext context, string name) => MetronomeApi.ReadAsync(context, core, name, WriteJob));
        app.MapPut("/v1/scheduler/job/{name}", (HttpContext context, string name) => NoContent(context, core.StartRun(name, "manual")));
        app.MapDelete("/v1/scheduler/job/{name}", (HttpContext context, string name) => NoContent(context, core.Remove(name)));
        app.MapPut("/v1/scheduler/job/success/{name}", (HttpContext context, string name) => NoContent(context, core.MarkSuccess(name)));
        app.MapDelete("/v1/scheduler/task/kill/{name}", (HttpContext context, string name) => NoContent(context, core.StopAll(name)));
        app.MapGet("/v1/scheduler/jobs", context => ListAsync(context, core, _ => true));
        app.MapGet("/v1/scheduler/jobs/search", context =>
        {
            string? name = context.Request.Query["name"];
            string? command = context.Request.Query["command"];
            string? any = context.Request.Query["any"];
            return ListAsync(context, core, e =>
                (name is null || e.Spec.Id.Contains(name, StringComparison.OrdinalIgnoreCase))
                && (command is null || (e.Spec.Run.Cmd ?? string.Join(' ', e.Spec.Run.Args)).Contains(command, StringComparison.OrdinalIgnoreCase))
                && (any is null || e.Spec.Id.Contains(any, StringComparison.OrdinalIgnoreCase) || (e.Spec.Run.Cmd ?? string.Empty).Contains(any, StringComparison.OrdinalIgnoreCase)
                    || (e.Spec.Description ?? string.Empty).Contains(any, StringComparison.OrdinalIgnoreCase)));
        });
        app.MapGet("/v1/scheduler/graph/csv", context =>
        {
            var text = core.Read(GraphCsv);
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(text, context.RequestAborted);
        });
    }

    private static async Task UpsertAsync(HttpContext context, JobsCore core, TimeProvider time, bool dependency)
    {
        using var doc = await Replies.ReadJsonAsync(context).ConfigureAwait(false);
        if (doc is null)
        {
            return;
        }

        var errors = new FieldErrors();
        var spec = ChronosParser.Parse(doc.RootElement, dependency, time.GetUtcNow(), errors);
        if (spec is null)
        {
            await Replies.InvalidAsync(context, errors).ConfigureAwait(false);
            return;
        }

        var result = core.Put(spec, create: true, upsert: true);
        if (!result.Ok)
        {
            // Chronos names the parents field; the model names its own.
            var details = result.Errors?.Select(e => e.Path.StartsWith("/dependencies", StringComparison.Ordinal) ? e with { Path = "/parents" + e.Path["/dependencies".Length..] } : e).ToList();
            await Replies.MessageAsync(context, result.Status, result.Message ?? "error", details).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 204;
    }

    private static Task NoContent<T>(HttpContext context, JobsResult<T> result)
    {
        if (!result.Ok)
        {
            return Replies.FailAsync(context, result);
        }

        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private static Task ListAsync(HttpContext context, JobsCore core, Func<JobEntry, bool> filter)
    {
        var bytes = core.Read(jobs =>
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartArray();
                foreach (var entry in jobs.Values.Where(filter).OrderBy(j => j.Spec.Id, StringComparer.Ordinal))
                {
                    WriteJob(w, entry);
                }

                w.WriteEndArray();
            }

            return buffer.ToArray();
        });
        return MetronomeApi.WriteBytesAsync(context, 200, bytes);
    }

    /// <summary>Chronos's job JSON, counters included.</summary>
    private static void WriteJob(Utf8JsonWriter w, JobEntry entry)
    {
        var spec = entry.Spec;
        var run = spec.Run;
        var status = entry.Status;
        w.WriteStartObject();
        w.WriteString("name", spec.Id);
        bool shell = run.Cmd is not null;
        w.WriteString("command", shell ? run.Cmd : (run.Args.Count > 0 ? run.Args[0] : string.Empty));
        w.WriteBoolean("shell", shell);
        w.WriteStartArray("arguments");
        foreach (var a in shell ? [] : run.Args.Skip(1))
        {
            w.WriteStringValue(a);
        }

        w.WriteEndArray();
        var schedule = spec.Schedules.Count > 0 ? spec.Schedules[0] : null;
        if (spec.Dependencies.Count > 0)
        {
            w.WriteStartArray("parents");
            foreach (var p in spec.Dependencies)
            {
                w.WriteStringValue(p);
            }

            w.WriteEndArray();
        }
        else
        {
            w.WriteString("schedule", schedule?.Iso8601 ?? schedule?.Cron ?? string.Empty);
            w.WriteString("scheduleTimeZone", schedule?.TimeZone ?? "UTC");
        }

        w.WriteString("epsilon", $"PT{schedule?.StartingDeadlineSeconds ?? 60}S");
        w.WriteNumber("retries", run.Restart.Policy == RestartPolicy.OnFailure ? run.Restart.MaxRetries ?? 0 : 0);
        w.WriteString("owner", spec.Labels.GetValueOrDefault(ChronosParser.OwnerLabel, string.Empty));
        w.WriteString("description", spec.Description ?? string.Empty);
        w.WriteBoolean("disabled", schedule is { Enabled: false });
        w.WriteBoolean("concurrent", schedule is null or { ConcurrencyPolicy: ConcurrencyPolicy.Allow });
        w.WriteNumber("cpus", run.Cpus);
        w.WriteNumber("mem", run.Mem);
        w.WriteNumber("disk", run.Disk);
        w.WriteNumber("successCount", status.SuccessCount);
        w.WriteNumber("errorCount", status.FailureCount);
        w.WriteString("lastSuccess", status.LastSuccessAt is { } s ? s.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
        w.WriteString("lastError", status.LastFailureAt is { } f ? f.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
        w.WriteStartArray("environmentVariables");
        foreach (var (k, v) in run.Env)
        {
            w.WriteStartObject();
            w.WriteString("name", k);
            w.WriteString("value", v);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Chronos's Exporter: <c>node,name,fresh|success|failure,idle|queued|running</c> and <c>link,parent,child</c>.</summary>
    internal static string GraphCsv(IReadOnlyDictionary<string, JobEntry> jobs)
    {
        var text = new StringBuilder();
        foreach (var entry in jobs.Values.OrderBy(j => j.Spec.Id, StringComparer.Ordinal))
        {
            var s = entry.Status;
            string last = s.LastSuccessAt is null && s.LastFailureAt is null ? "fresh"
                : (s.LastSuccessAt ?? DateTimeOffset.MinValue) >= (s.LastFailureAt ?? DateTimeOffset.MinValue) ? "success" : "failure";
            string state = entry.Active.Any(r => r.Status is RunStatus.Active or RunStatus.Starting) ? "running" : entry.Active.Count > 0 ? "queued" : "idle";
            text.Append("node,").Append(entry.Spec.Id).Append(',').Append(last).Append(',').Append(state).Append('\n');
        }

        foreach (var entry in jobs.Values.OrderBy(j => j.Spec.Id, StringComparer.Ordinal))
        {
            foreach (var parent in entry.Spec.Dependencies)
            {
                text.Append("link,").Append(parent).Append(',').Append(entry.Spec.Id).Append('\n');
            }
        }

        return text.ToString();
    }
}
