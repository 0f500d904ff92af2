using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Scheduler.Http;

/// <summary>
/// Reads a change's JSON body under the API's limits, answering the refusal itself: 415 for a body that is not JSON
/// (Marathon's Jersey does the same), 413 naming the limit, 400 "Invalid JSON" naming where the JSON or its UTF-8 is
/// broken. What it returns is safe to parse: every string and property name decodes.
/// </summary>
internal static class RequestBody
{
    /// <summary>
    /// 1 MiB: Marathon stores a definition in one ZooKeeper node, whose default limit (jute.maxbuffer) is 1 MiB, so
    /// no body Marathon would keep is larger. Groups with many apps fit well within it.
    /// </summary>
    public const int MaxBodyBytes = 1 << 20;

    /// <summary>
    /// 128 KiB for any one string: Linux refuses to exec a single argument or environment string longer than
    /// MAX_ARG_STRLEN (32 pages = 131072 bytes), so a longer cmd, arg or env value could never start anyway.
    /// </summary>
    public const int MaxStringBytes = 128 * 1024;

    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static async Task<JsonDocument?> ReadJsonAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentType is { Length: > 0 } contentType && !IsJson(contentType))
        {
            await HttpReplies.MessageAsync(context, 415, $"Unsupported Media Type: '{contentType}'; the body must be application/json").ConfigureAwait(false);
            return null;
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            await TooLargeAsync(context).ConfigureAwait(false);
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var span = buffer.GetMemory(16 * 1024);
            int read = await request.Body.ReadAsync(span, context.RequestAborted).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBodyBytes)
            {
                await TooLargeAsync(context).ConfigureAwait(false);
                return null;
            }
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(buffer.WrittenMemory, Options);
        }
        catch (JsonException e)
        {
            await HttpReplies.MessageAsync(context, 400, "Invalid JSON", [new FieldError("/", [e.Message])]).ConfigureAwait(false);
            return null;
        }

        var problem = Check(doc.RootElement, string.Empty);
        if (problem is null)
        {
            return doc;
        }

        doc.Dispose();
        var (status, path, error) = problem.Value;
        await HttpReplies.MessageAsync(context, status, status == 413 ? $"Request Entity Too Large: a field exceeds the {MaxStringBytes}-byte limit" : "Invalid JSON",
            [new FieldError(path.Length == 0 ? "/" : path, [error])]).ConfigureAwait(false);
        return null;
    }

    /// <summary>The first string or property name that is not UTF-8 (400) or is over the field limit (413), with its path.</summary>
    internal static (int Status, string Path, string Error)? Check(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                string value;
                try
                {
                    value = element.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    return (400, path, "is not valid UTF-8");
                }

                int bytes = Encoding.UTF8.GetByteCount(value);
                return bytes > MaxStringBytes
                    ? (413, path, $"is {bytes} bytes; the limit is {MaxStringBytes} bytes (Linux's MAX_ARG_STRLEN: the longest command, argument or environment string a task can exec)")
                    : null;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Check(item, $"{path}/{i++}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return (400, path + "/", "a property name is not valid UTF-8");
                    }

                    if (Check(property.Value, path + "/" + name) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool IsJson(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) &&
        (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);

    private static Task TooLargeAsync(HttpContext context) =>
        HttpReplies.MessageAsync(context, 413, $"Request Entity Too Large: the body exceeds the {MaxBodyBytes}-byte limit");
}
