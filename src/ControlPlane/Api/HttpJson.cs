using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Api;

/// <summary>Reading JSON bodies and writing JSON answers, with every failure a JSON 4xx naming the field.</summary>
internal static class HttpJson
{
    /// <summary>
    /// Reads a body of at most <paramref name="maxBytes"/>; on failure writes 400 <c>invalid_json</c> (with the JSON
    /// path) or 413 <c>payload_too_large</c> (naming the limit), calls <paramref name="onTooLarge"/> for the latter,
    /// and returns null.
    /// </summary>
    public static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> info, long maxBytes, Action? onTooLarge = null)
        where T : class
    {
        if (context.Request.ContentLength == 0)
        {
            await WriteErrorAsync(context, new MasterError(400, ProtocolErrorCodes.InvalidJson, "the request body is empty; a JSON object is required")).ConfigureAwait(false);
            return null;
        }

        if (context.Request.ContentLength > maxBytes)
        {
            onTooLarge?.Invoke();
            await WriteErrorAsync(context, TooLarge(context, maxBytes)).ConfigureAwait(false);
            return null;
        }

        // A chunked body has no length up front: Kestrel stops reading it at the limit.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(context.Request.Body, info, context.RequestAborted).ConfigureAwait(false);
            if (value is null)
            {
                await WriteErrorAsync(context, new MasterError(400, ProtocolErrorCodes.InvalidJson, "the request body is null; a JSON object is required")).ConfigureAwait(false);
            }

            return value;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            onTooLarge?.Invoke();
            await WriteErrorAsync(context, TooLarge(context, maxBytes)).ConfigureAwait(false);
            return null;
        }
        catch (JsonException e)
        {
            var path = string.IsNullOrEmpty(e.Path) ? "/" : PointerOf(e.Path);
            var message = e.Message.Split(" Path:", 2)[0];
            if (MissingFields(message) is { Count: > 0 } missing)
            {
                var prefix = path == "/" ? string.Empty : path;
                var details = missing.Select(f => new FieldError($"{prefix}/{f}", ["is required"])).ToList();
                await WriteErrorAsync(context, new MasterError(400, ProtocolErrorCodes.InvalidJson,
                    "missing required fields: " + string.Join(", ", details.Select(d => d.Path)), details)).ConfigureAwait(false);
                return null;
            }

            await WriteErrorAsync(context, new MasterError(400, ProtocolErrorCodes.InvalidJson, $"malformed JSON at {path}: {message}",
                [new FieldError(path, [message])])).ConfigureAwait(false);
            return null;
        }
    }

    private static MasterError TooLarge(HttpContext context, long maxBytes) =>
        new(413, ProtocolErrorCodes.PayloadTooLarge, $"request body too large: {context.Request.Path} takes at most {BodyLimits.Describe(maxBytes)}",
            [new FieldError("/", [$"larger than the limit of {maxBytes} bytes"])]);

    public static async Task WriteAsync<T>(HttpContext context, T value, JsonTypeInfo<T> info, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, info, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteErrorAsync(HttpContext context, MasterError error) =>
        WriteAsync(context, error.ToProtocolError(), ProtocolJsonContext.Default.ProtocolError, error.Status);

    /// <summary>202 on success, else the error.</summary>
    public static Task WriteOutcomeAsync(HttpContext context, MasterError? error)
    {
        if (error is not null)
        {
            return WriteErrorAsync(context, error);
        }

        context.Response.StatusCode = 202;
        return Task.CompletedTask;
    }

    /// <summary>The field names System.Text.Json lists for missing <c>required</c> members.</summary>
    private static List<string> MissingFields(string message)
    {
        int at = message.IndexOf("missing required properties", StringComparison.Ordinal);
        if (at < 0)
        {
            return [];
        }

        var names = new List<string>();
        var rest = message[at..];
        int quote = rest.IndexOf('\'', StringComparison.Ordinal);
        while (quote >= 0)
        {
            int end = rest.IndexOf('\'', quote + 1);
            if (end < 0)
            {
                break;
            }

            names.Add(rest[(quote + 1)..end]);
            quote = rest.IndexOf('\'', end + 1);
        }

        return names;
    }

    /// <summary><c>$.tasks[0].resources.cpus</c> → <c>/tasks/0/resources/cpus</c>.</summary>
    internal static string PointerOf(string jsonPath)
    {
        var p = jsonPath.TrimStart('$').Replace("['", ".", StringComparison.Ordinal).Replace("']", string.Empty, StringComparison.Ordinal)
            .Replace('[', '.').Replace("]", string.Empty, StringComparison.Ordinal).Replace('.', '/');
        return p.Length == 0 ? "/" : p;
    }
}
