using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Minuet.Cli.Client;

/// <summary>
/// Why apps are short of instances, for <c>minuet app list</c>: the app's <c>lastTaskFailure</c>, its launch backoff
/// and the reasons offers did not fit (<c>/v2/queue</c>'s <c>lastUnusedOffers</c>), one line each.
/// </summary>
internal static class WaitingReasons
{
    /// <summary>The lines for every app below its instance count (empty when none is); never throws on odd JSON.</summary>
    public static string Format(JsonElement apps, string? queueJson)
    {
        var queue = QueueByApp(queueJson);
        var text = new StringBuilder();
        foreach (var app in apps.EnumerateArray())
        {
            if (!app.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            string id = idElement.GetString()!;
            long running = Number(app, "tasksRunning");
            long instances = Number(app, "instances");
            if (running >= instances)
            {
                continue;
            }

            var reasons = new List<string>();
            if (queue.TryGetValue(id, out var item))
            {
                if (item.TryGetProperty("delay", out var delay) && Number(delay, "timeLeftSeconds") is > 0 and var left)
                {
                    reasons.Add($"next launch in {left} s (backoff after failures)");
                }

                if (Unfit(item) is { } unfit)
                {
                    reasons.Add(unfit);
                }
            }

            if (app.TryGetProperty("lastTaskFailure", out var failure) && failure.ValueKind == JsonValueKind.Object)
            {
                reasons.Add($"last failure {Text(failure, "state")} at {Text(failure, "timestamp")}: {Text(failure, "message")}");
            }

            if (reasons.Count == 0 && queue.ContainsKey(id))
            {
                reasons.Add("waiting for offers (none has come since it needed one)");
            }

            foreach (var reason in reasons)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {id} ({running}/{instances}): {reason}\n");
            }
        }

        return text.Length == 0 ? string.Empty : "\nWhy apps are short of instances:\n" + text;
    }

    /// <summary>"no offer fits: InsufficientCpus (3 offers), InsufficientPorts (3 offers)" from the unused offers.</summary>
    private static string? Unfit(JsonElement item)
    {
        if (!item.TryGetProperty("lastUnusedOffers", out var unused) || unused.ValueKind != JsonValueKind.Array || unused.GetArrayLength() == 0)
        {
            return null;
        }

        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var offer in unused.EnumerateArray())
        {
            if (offer.TryGetProperty("reason", out var reasons) && reasons.ValueKind == JsonValueKind.Array)
            {
                foreach (var reason in reasons.EnumerateArray())
                {
                    if (reason.GetString() is { } name)
                    {
                        counts[name] = counts.GetValueOrDefault(name) + 1;
                    }
                }
            }
        }

        int total = unused.GetArrayLength();
        return "no offer fits: " + string.Join(", ", counts.Select(c => $"{c.Key} ({c.Value} of the last {total} offers)"));
    }

    private static Dictionary<string, JsonElement> QueueByApp(string? queueJson)
    {
        var byApp = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (queueJson is null)
        {
            return byApp;
        }

        try
        {
            // Cloned out of the document so the elements outlive it.
            using var doc = JsonDocument.Parse(queueJson);
            if (doc.RootElement.TryGetProperty("queue", out var queue) && queue.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in queue.EnumerateArray())
                {
                    if (item.TryGetProperty("app", out var app) && app.TryGetProperty("id", out var id) && id.GetString() is { } appId)
                    {
                        byApp[appId] = item.Clone();
                    }
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // No queue to explain with: the failures alone are still shown.
        }

        return byApp;
    }

    private static long Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n : 0;

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "-";
}
