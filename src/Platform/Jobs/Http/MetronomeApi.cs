using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.Platform.Jobs.Engine;
using Minuet.Platform.Jobs.Model;
using Minuet.Platform.Jobs.Validation;

namespace Minuet.Platform.Jobs.Http;

/// <summary>Metronome's <c>/v1/jobs</c> API (api.raml, v1/jobs.raml): jobs, their schedules and runs.</summary>
internal static class MetronomeApi
{
    public const string Version = "0.6.66-minuet";

    public static void Map(WebApplication app, JobsCore core)
    {
        app.MapGet("/ping", () => Results.Text("pong", "text/plain"));
        app.MapGet("/v1/info", context => Replies.JsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("version", Version);
            w.WriteString("libVersion", Version);
            w.WriteBoolean("reconciled", core.Reconciled);
            w.WriteEndObject();
        }));
        app.MapGet("/v1/jobs", context => ListAsync(context, core));
        app.MapPost("/v1/jobs", context => PutAsync(context, core, null));
        app.MapGet("/v1/jobs/{id}", (HttpContext context, string id) => GetAsync(context, core, id));
        app.MapPut("/v1/jobs/{id}", (HttpContext context, string id) => PutAsync(context, core, id));
        app.MapDelete("/v1/jobs/{id}", (HttpContext context, string id) =>
        {
            bool stop = !string.Equals(context.Request.Query["stopCurrentJobRuns"], "false", StringComparison.OrdinalIgnoreCase);
            var result = core.Remove(id, stop);
            return result.Ok ? Replies.JsonAsync(context, 200, w => WriteSpecOnly(w, result.Value!)) : Replies.FailAsync(context, result);
        });
        app.MapGet("/v1/jobs/{id}/runs", (HttpContext context, string id) => ReadAsync(context, core, id, (w, e) =>
        {
            w.WriteStartArray();
            foreach (var run in e.Active)
            {
                JobJson.WriteRun(w, run);
            }

            w.WriteEndArray();
        }));
        app.MapPost("/v1/jobs/{id}/runs", (HttpContext context, string id) => RunResultAsync(context, core, core.StartRun(id), 201));
        app.MapGet("/v1/jobs/{id}/runs/{runId}", (HttpContext context, string id, string runId) => GetRunAsync(context, core, id, runId));
        app.MapPost("/v1/jobs/{id}/runs/{runId}/actions/stop", (HttpContext context, string id, string runId) => RunResultAsync(context, core, core.StopRun(id, runId), 200));
        MetronomeSchedulesApi.Map(app, core);
    }

    private static Task ListAsync(HttpContext context, JobsCore core)
    {
        var embed = JobJson.ParseEmbed(context.Request.Query["embed"]);
        return core.Read(jobs =>
        {
            // Rendered under the core's lock: the runs are live objects.
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartArray();
                foreach (var entry in jobs.Values.OrderBy(j => j.Spec.Id, StringComparer.Ordinal))
                {
                    JobJson.WriteJob(w, entry, embed);
                }

                w.WriteEndArray();
            }

            return WriteBytesAsync(context, 200, buffer.ToArray());
        });
    }

    private static Task GetAsync(HttpContext context, JobsCore core, string id)
    {
        var embed = JobJson.ParseEmbed(context.Request.Query["embed"]);
        return ReadAsync(context, core, id, (w, e) => JobJson.WriteJob(w, e, embed));
    }

    /// <summary>Renders one job's part under the lock; 404 when there is no such job.</summary>
    internal static Task ReadAsync(HttpContext context, JobsCore core, string id, Action<Utf8JsonWriter, JobEntry> write, int status = 200)
    {
        var bytes = core.Read(jobs =>
        {
            if (!jobs.TryGetValue(id, out var entry))
            {
                return null;
            }

            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                write(w, entry);
            }

            return buffer.ToArray();
        });
        return bytes is null ? Replies.MessageAsync(context, 404, $"Job '{id}' does not exist") : WriteBytesAsync(context, status, bytes);
    }

    internal static async Task WriteBytesAsync(HttpContext context, int status, byte[] bytes)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task PutAsync(HttpContext context, JobsCore core, string? pathId)
    {
        using var doc = await Replies.ReadJsonAsync(context).ConfigureAwait(false);
        if (doc is null)
        {
            return;
        }

        var errors = new FieldErrors();
        var spec = JobParser.Parse(doc.RootElement, errors, pathId);
        if (spec is null)
        {
            await Replies.InvalidAsync(context, errors).ConfigureAwait(false);
            return;
        }

        // Metronome's PUT replaces the job but keeps its schedules when the body names none (they are their own resource).
        if (pathId is not null && !doc.RootElement.TryGetProperty("schedules", out _))
        {
            var kept = core.Read(jobs => jobs.TryGetValue(pathId, out var e) ? e.Spec.Schedules : null);
            if (kept is not null)
            {
                spec = spec with { Schedules = kept };
            }
        }

        var result = core.Put(spec, create: pathId is null);
        if (!result.Ok)
        {
            await Replies.FailAsync(context, result).ConfigureAwait(false);
            return;
        }

        await ReadAsync(context, core, spec.Id, (w, e) => JobJson.WriteJob(w, e, Embed.None), result.Status).ConfigureAwait(false);
    }

    private static void WriteSpecOnly(Utf8JsonWriter w, JobSpec spec) =>
        JobJson.WriteJob(w, new JobEntry(spec, new JobStatus()), Embed.None);

    private static Task RunResultAsync(HttpContext context, JobsCore core, JobsResult<JobRun> result, int status)
    {
        if (!result.Ok)
        {
            return Replies.FailAsync(context, result);
        }

        var run = result.Value!;
        var bytes = core.Read(_ =>
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                JobJson.WriteRun(w, run);
            }

            return buffer.ToArray();
        });
        return WriteBytesAsync(context, status, bytes);
    }

    private static Task GetRunAsync(HttpContext context, JobsCore core, string id, string runId)
    {
        var bytes = core.Read(jobs =>
        {
            if (!jobs.TryGetValue(id, out var entry))
            {
                return null;
            }

            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                if (entry.Active.FirstOrDefault(r => r.Id == runId) is { } active)
                {
                    JobJson.WriteRun(w, active);
                }
                else if (Finished(entry.Status, runId) is { } done)
                {
                    w.WriteStartObject();
                    w.WriteString("id", done.Entry.Id);
                    w.WriteString("jobId", id);
                    w.WriteString("status", done.Success ? "SUCCESS" : "FAILED");
                    w.WriteString("createdAt", JobJson.Time(done.Entry.CreatedAt));
                    w.WriteString("completedAt", JobJson.Time(done.Entry.FinishedAt));
                    w.WriteString("trigger", done.Entry.Trigger);
                    if (done.Entry.Reason is { } reason)
                    {
                        w.WriteString("reason", reason);
                    }

                    w.WriteStartArray("tasks");
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                else
                {
                    return null;
                }
            }

            return buffer.ToArray();
        });
        return bytes is null ? Replies.MessageAsync(context, 404, $"Run '{runId}' of job '{id}' does not exist") : WriteBytesAsync(context, 200, bytes);
    }

    private static (HistoryEntry Entry, bool Success)? Finished(JobStatus status, string runId) =>
        status.Successful.FirstOrDefault(e => e.Id == runId) is { } s ? (s, true)
        : status.Failed.FirstOrDefault(e => e.Id == runId) is { } f ? (f, false)
        : null;
}
