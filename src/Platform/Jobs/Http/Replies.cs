using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Minuet.Platform.Jobs.Engine;
using Minuet.Platform.Jobs.Validation;

namespace Minuet.Platform.Jobs.Http;

/// <summary>Answers: JSON bodies and Metronome's error shape <c>{message, details:[{path, errors}]}</c>.</summary>
internal static class Replies
{
    /// <summary>1 MiB, as the scheduler's API: a job definition is far smaller.</summary>
    public const int MaxBodyBytes = 1 << 20;

    public static Task JsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> body) =>
        ControlPlane.Scheduler.Http.HttpReplies.JsonAsync(context, status, body);

    public static Task MessageAsync(HttpContext context, int status, string message, IReadOnlyList<FieldError>? details = null) =>
        JsonAsync(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("message", message);
            if (details is { Count: > 0 })
            {
                w.WriteStartArray("details");
                foreach (var group in details.GroupBy(d => d.Path))
                {
                    w.WriteStartObject();
                    w.WriteString("path", group.Key);
                    w.WriteStartArray("errors");
                    foreach (var e in group)
                    {
                        w.WriteStringValue(e.Message);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        });

    public static Task FailAsync<T>(HttpContext context, JobsResult<T> result) =>
        MessageAsync(context, result.Status, result.Message ?? "error", result.Errors);

    public static Task InvalidAsync(HttpContext context, FieldErrors errors) => MessageAsync(context, 422, "Object is not valid", errors.List);

    /// <summary>
    /// The body as JSON whatever its Content-Type (Chronos's users post with <c>curl -d</c>, which says form data).
    /// Null after answering 413 or 400 naming where the JSON breaks.
    /// </summary>
    public static async Task<JsonDocument?> ReadJsonAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            int read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                await MessageAsync(context, 413, $"Request body larger than {MaxBodyBytes} bytes").ConfigureAwait(false);
                return null;
            }
        }

        try
        {
            return JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            await MessageAsync(context, 400, $"Invalid JSON: {(buffer.Length == 0 ? "the body is empty" : e.Message)}").ConfigureAwait(false);
            return null;
        }
    }
}
