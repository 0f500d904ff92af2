using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Launching;

namespace Minuet.ControlPlane.Scheduler.Http;

/// <summary>Marathon's <c>/v2/queue</c> offer fields: <c>processedOffersSummary</c> and <c>lastUnusedOffers</c>.</summary>
internal static class QueueJson
{
    public static void WriteOfferFields(Utf8JsonWriter w, OfferStats stats)
    {
        w.WriteStartObject("processedOffersSummary");
        w.WriteNumber("processedOffersCount", stats.Processed);
        w.WriteNumber("unusedOffersCount", stats.Unused);
        WriteTime(w, "lastUnusedOfferAt", stats.LastUnusedAt);
        WriteTime(w, "lastUsedOfferAt", stats.LastUsedAt);
        WriteFunnel(w, "rejectSummaryLastOffers", stats);
        WriteFunnel(w, "rejectSummaryLaunchAttempt", stats);
        w.WriteEndObject();

        w.WriteStartArray("lastUnusedOffers");
        foreach (var unused in stats.LastUnused)
        {
            w.WriteStartObject();
            w.WritePropertyName("offer");
            WriteOffer(w, unused.Offer);
            w.WriteStartArray("reason");
            foreach (var reason in unused.Reasons)
            {
                w.WriteStringValue(reason);
            }

            w.WriteEndArray();
            w.WriteString("timestamp", AppJsonWriter.Timestamp(unused.At));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteFunnel(Utf8JsonWriter w, string name, OfferStats stats)
    {
        w.WriteStartArray(name);
        foreach (var (reason, declined, processed) in stats.Funnel())
        {
            w.WriteStartObject();
            w.WriteString("reason", reason);
            w.WriteNumber("declined", declined);
            w.WriteNumber("processed", processed);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteOffer(Utf8JsonWriter w, OfferInfo offer)
    {
        w.WriteStartObject();
        w.WriteString("id", offer.Id);
        w.WriteString("agentId", offer.AgentId);
        w.WriteString("hostname", offer.Hostname);
        w.WriteStartArray("resources");
        WriteScalar(w, "cpus", offer.Resources.Cpus, offer.Role);
        WriteScalar(w, "mem", offer.Resources.Mem, offer.Role);
        WriteScalar(w, "disk", offer.Resources.Disk, offer.Role);
        w.WriteStartObject();
        w.WriteString("name", "ports");
        w.WriteStartArray("ranges");
        foreach (var range in offer.Resources.Ports)
        {
            w.WriteStartObject();
            w.WriteNumber("begin", range.Begin);
            w.WriteNumber("end", range.End);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("role", offer.Role);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartArray("attributes");
        foreach (var (name, value) in offer.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteString("text", value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteScalar(Utf8JsonWriter w, string name, double value, string role)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteNumber("scalar", value);
        w.WriteString("role", role);
        w.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? at)
    {
        if (at is { } value)
        {
            w.WriteString(name, AppJsonWriter.Timestamp(value));
        }
    }
}
