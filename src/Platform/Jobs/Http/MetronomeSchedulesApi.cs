using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.Platform.Jobs.Engine;
using Minuet.Platform.Jobs.Model;
using Minuet.Platform.Jobs.Validation;

namespace Minuet.Platform.Jobs.Http;

/// <summary>Metronome's <c>/v1/jobs/{id}/schedules[/{sid}]</c>: a job's schedules as their own resource.</summary>
internal static class MetronomeSchedulesApi
{
    public static void Map(WebApplication app, JobsCore core)
    {
        app.MapGet("/v1/jobs/{id}/schedules", (HttpContext context, string id) => MetronomeApi.ReadAsync(context, core, id, (w, e) =>
        {
            w.WriteStartArray();
            foreach (var s in e.Spec.Schedules)
            {
                JobJson.WriteSchedule(w, s, e.Status.NextDue.TryGetValue(s.Id, out var n) ? n : null);
            }

            w.WriteEndArray();
        }));
        app.MapGet("/v1/jobs/{id}/schedules/{sid}", (HttpContext context, string id, string sid) =>
        {
            bool exists = core.Read(jobs => jobs.TryGetValue(id, out var e) && e.Spec.Schedules.Any(s => s.Id == sid));
            return exists
                ? MetronomeApi.ReadAsync(context, core, id, (w, e) => JobJson.WriteSchedule(w, e.Spec.Schedules.First(s => s.Id == sid), e.Status.NextDue.TryGetValue(sid, out var n) ? n : null))
                : Replies.MessageAsync(context, 404, $"Schedule '{sid}' of job '{id}' does not exist");
        });
        app.MapPost("/v1/jobs/{id}/schedules", (HttpContext context, string id) => ChangeAsync(context, core, id, null));
        app.MapPut("/v1/jobs/{id}/schedules/{sid}", (HttpContext context, string id, string sid) => ChangeAsync(context, core, id, sid));
        app.MapDelete("/v1/jobs/{id}/schedules/{sid}", (HttpContext context, string id, string sid) =>
        {
            var spec = core.Read(jobs => jobs.TryGetValue(id, out var e) ? e.Spec : null);
            if (spec is null || spec.Schedules.All(s => s.Id != sid))
            {
                return Replies.MessageAsync(context, 404, $"Schedule '{sid}' of job '{id}' does not exist");
            }

            var result = core.Put(spec with { Schedules = spec.Schedules.Where(s => s.Id != sid).ToList() }, create: false);
            return result.Ok ? Replies.JsonAsync(context, 200, w => { w.WriteStartObject(); w.WriteEndObject(); }) : Replies.FailAsync(context, result);
        });
    }

    private static async Task ChangeAsync(HttpContext context, JobsCore core, string id, string? sid)
    {
        using var doc = await Replies.ReadJsonAsync(context).ConfigureAwait(false);
        if (doc is null)
        {
            return;
        }

        var errors = new FieldErrors();
        var schedule = ScheduleParser.Parse(doc.RootElement, string.Empty, errors);
        if (schedule is not null && sid is not null && schedule.Id != sid && doc.RootElement.TryGetProperty("id", out _))
        {
            errors.Add("/id", $"'{schedule.Id}' differs from the id in the path '{sid}'");
        }

        if (errors.Any || schedule is null)
        {
            await Replies.InvalidAsync(context, errors).ConfigureAwait(false);
            return;
        }

        schedule = sid is null ? schedule : schedule with { Id = sid };
        var spec = core.Read(jobs => jobs.TryGetValue(id, out var e) ? e.Spec : null);
        if (spec is null)
        {
            await Replies.MessageAsync(context, 404, $"Job '{id}' does not exist").ConfigureAwait(false);
            return;
        }

        bool exists = spec.Schedules.Any(s => s.Id == schedule.Id);
        if (sid is null && exists)
        {
            await Replies.MessageAsync(context, 409, $"Schedule '{schedule.Id}' of job '{id}' already exists").ConfigureAwait(false);
            return;
        }

        if (sid is not null && !exists)
        {
            await Replies.MessageAsync(context, 404, $"Schedule '{sid}' of job '{id}' does not exist").ConfigureAwait(false);
            return;
        }

        if (spec.Dependencies.Count > 0)
        {
            errors.Add("/", "the job runs after its dependencies; a job has either schedules or dependencies, not both");
            await Replies.InvalidAsync(context, errors).ConfigureAwait(false);
            return;
        }

        var schedules = spec.Schedules.Where(s => s.Id != schedule.Id).Append(schedule).ToList();
        var result = core.Put(spec with { Schedules = schedules }, create: false);
        if (!result.Ok)
        {
            await Replies.FailAsync(context, result).ConfigureAwait(false);
            return;
        }

        await Replies.JsonAsync(context, sid is null ? 201 : 200, w => JobJson.WriteSchedule(w, schedule, null)).ConfigureAwait(false);
    }
}
