using System.Globalization;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Http;

/// <summary><c>/v2/apps/{id}/versions</c> (newest first) and <c>/v2/apps/{id}/versions/{version}</c> (that definition).</summary>
internal static partial class MarathonApi
{
    private static Task VersionsAsync(HttpContext context, SchedulerCore core, string id)
    {
        var versions = core.Read(view => view.Apps.TryGetValue(id, out var a) && !a.Deleted ? a.Versions.Keys.Reverse().ToList() : null);
        return versions is null
            ? HttpReplies.MessageAsync(context, 404, $"App '{id}' does not exist")
            : HttpReplies.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("versions");
                foreach (var v in versions)
                {
                    w.WriteStringValue(AppJsonWriter.Timestamp(v));
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
    }

    private static Task VersionAsync(HttpContext context, SchedulerCore core, string id, string versionText)
    {
        if (!DateTimeOffset.TryParse(versionText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var version))
        {
            return HttpReplies.MessageAsync(context, 400, $"'{versionText}' is not a version timestamp (ISO 8601, as /v2/apps{id}/versions lists them)");
        }

        var (exists, entry) = core.Read(view => view.Apps.TryGetValue(id, out var a) && !a.Deleted
            ? (true, a.Versions.GetValueOrDefault(version))
            : (false, null));
        if (!exists)
        {
            return HttpReplies.MessageAsync(context, 404, $"App '{id}' does not exist");
        }

        if (entry is null || SchedulerCore.ParseStored(entry.Json, entry.Version) is not { } def)
        {
            return HttpReplies.MessageAsync(context, 404, $"App '{id}' does not exist in version {versionText}");
        }

        return HttpReplies.JsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            AppJsonWriter.WriteFields(w, def with { ConfigVersion = entry.ConfigVersion });
            w.WriteEndObject();
        });
    }
}
