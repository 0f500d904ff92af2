using System.Text;
using System.Text.Json;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Events;

/// <summary>One event-bus event: its <c>eventType</c> and its JSON (which carries <c>eventType</c> and <c>timestamp</c>, as Marathon's do).</summary>
internal sealed record MarathonEvent(string Type, string Json)
{
    /// <summary>Builds the JSON object: <c>eventType</c>, <c>timestamp</c>, then the fields <paramref name="fields"/> writes.</summary>
    public static MarathonEvent Create(string type, DateTimeOffset at, Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("eventType", type);
            w.WriteString("timestamp", AppJsonWriter.Timestamp(at));
            fields(w);
            w.WriteEndObject();
        }

        return new MarathonEvent(type, Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
