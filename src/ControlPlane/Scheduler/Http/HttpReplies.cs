using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Scheduler.Http;

/// <summary>Writing Marathon answers: JSON bodies, the error shapes (400, 404, 409, 422) and change results.</summary>
internal static class HttpReplies
{
    public static async Task JsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            body(w);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }

    public static Task MessageAsync(HttpContext context, int status, string message, IReadOnlyList<FieldError>? details = null) =>
        JsonAsync(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("message", message);
            if (details is not null)
            {
                WriteDetails(w, details);
            }

            w.WriteEndObject();
        });

    /// <summary>A change: its deployment id and version, or the refusal in Marathon's shape.</summary>
    public static Task ChangeAsync(HttpContext context, ChangeResult result, int successStatus = 200)
    {
        if (!result.IsSuccess)
        {
            return FailureAsync(context, result);
        }

        if (result.Deployment is not { } plan)
        {
            context.Response.StatusCode = result.Status;
            return Task.CompletedTask;
        }

        context.Response.Headers["Marathon-Deployment-Id"] = plan.Id;
        return JsonAsync(context, result.Created && successStatus == 200 && context.Request.Method == "PUT" ? 201 : successStatus, w =>
        {
            w.WriteStartObject();
            w.WriteString("deploymentId", plan.Id);
            w.WriteString("version", Apps.AppJsonWriter.Timestamp(plan.Version));
            w.WriteEndObject();
        });
    }

    public static Task FailureAsync(HttpContext context, ChangeResult result) => JsonAsync(context, result.Status, w =>
    {
        w.WriteStartObject();
        w.WriteString("message", result.Message ?? "error");
        if (result.Details is { } details)
        {
            WriteDetails(w, details);
        }

        if (result.Status == 409 && result.Conflicts.Count > 0)
        {
            w.WriteStartArray("deployments");
            foreach (var d in result.Conflicts)
            {
                w.WriteStartObject();
                w.WriteString("id", d.Id);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    });

    /// <summary>Reads the body as JSON under the API's limits; on refusal answers it (400, 413, 415) and returns null.</summary>
    public static Task<JsonDocument?> ReadJsonAsync(HttpContext context) => RequestBody.ReadJsonAsync(context);

    public static bool Flag(HttpContext context, string name, bool fallback = false) =>
        context.Request.Query.TryGetValue(name, out var v) ? string.Equals(v.ToString(), "true", StringComparison.OrdinalIgnoreCase) || v.ToString().Length == 0 : fallback;

    private static void WriteDetails(Utf8JsonWriter w, IReadOnlyList<FieldError> details)
    {
        w.WriteStartArray("details");
        foreach (var d in details)
        {
            w.WriteStartObject();
            w.WriteString("path", d.Path);
            w.WriteStartArray("errors");
            foreach (var e in d.Errors)
            {
                w.WriteStringValue(e);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
