using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Minuet.ControlPlane.Agent.Files;

/// <summary>
/// The agent's files API over task and executor sandboxes (src/files/files.cpp): <c>/files/browse?path=</c> (a JSON
/// array of Mesos FileInfo models), <c>/files/read?path=&amp;offset=&amp;length=</c> (<c>{"data", "offset"}</c>; offset -1
/// answers the size in <c>offset</c>; reads are capped at 16 pages), <c>/files/download?path=</c> and
/// <c>/files/debug</c>. Missing <c>path</c>, bad numbers, directories where a file is needed and paths escaping
/// their sandbox are 400 with a plain-text reason; unknown paths are 404 with no body.
/// </summary>
internal static class FilesApi
{
    private const int MaxRead = 16 * 4096;

    public static void Map(WebApplication app, SandboxFiles files)
    {
        app.MapGet("/files/browse", context => BrowseAsync(context, files));
        app.MapGet("/files/browse.json", context => BrowseAsync(context, files));
        app.MapGet("/files/read", context => ReadAsync(context, files));
        app.MapGet("/files/read.json", context => ReadAsync(context, files));
        app.MapGet("/files/download", context => DownloadAsync(context, files));
        app.MapGet("/files/download.json", context => DownloadAsync(context, files));
        app.MapGet("/files/debug", context => DebugAsync(context, files));
        app.MapGet("/files/debug.json", context => DebugAsync(context, files));
    }

    private static async Task<string?> ResolveAsync(HttpContext context, SandboxFiles files)
    {
        string? path = context.Request.Query.TryGetValue("path", out var value) ? value.ToString() : null;
        if (string.IsNullOrEmpty(path))
        {
            await PlainAsync(context, 400, "Expecting 'path=value' in query.\n").ConfigureAwait(false);
            return null;
        }

        var resolved = files.Resolve(path);
        if (resolved.Error is { } error)
        {
            await PlainAsync(context, 400, error + ".\n").ConfigureAwait(false);
            return null;
        }

        if (resolved.NotFound)
        {
            context.Response.StatusCode = 404;
            return null;
        }

        return resolved.Path;
    }

    private static async Task BrowseAsync(HttpContext context, SandboxFiles files)
    {
        string requested = context.Request.Query["path"].ToString().TrimEnd('/');
        string? real = await ResolveAsync(context, files).ConfigureAwait(false);
        if (real is null)
        {
            return;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            if (Directory.Exists(real))
            {
                foreach (var entry in new DirectoryInfo(real).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
                {
                    WriteFileInfo(w, requested + "/" + entry.Name, entry);
                }
            }

            w.WriteEndArray();
        }

        await JsonAsync(context, buffer.WrittenSpan.ToArray()).ConfigureAwait(false);
    }

    private static async Task ReadAsync(HttpContext context, SandboxFiles files)
    {
        var query = context.Request.Query;
        long offset = -1;
        if (query.TryGetValue("offset", out var offsetText))
        {
            if (!long.TryParse(offsetText, NumberStyles.Integer, CultureInfo.InvariantCulture, out offset))
            {
                await PlainAsync(context, 400, $"Failed to parse offset: Failed to convert '{offsetText}' to number.\n").ConfigureAwait(false);
                return;
            }

            if (offset < -1)
            {
                await PlainAsync(context, 400, $"Negative offset provided: {offset}.\n").ConfigureAwait(false);
                return;
            }
        }

        long? length = null;
        if (query.TryGetValue("length", out var lengthText))
        {
            if (!long.TryParse(lengthText, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed))
            {
                await PlainAsync(context, 400, $"Failed to parse length: Failed to convert '{lengthText}' to number.\n").ConfigureAwait(false);
                return;
            }

            // The web UI's pailer sends length=-1 first: the same as no length.
            if (parsed < -1)
            {
                await PlainAsync(context, 400, $"Negative length provided: {parsed}.\n").ConfigureAwait(false);
                return;
            }

            length = parsed == -1 ? null : parsed;
        }

        string? real = await ResolveAsync(context, files).ConfigureAwait(false);
        if (real is null)
        {
            return;
        }

        if (Directory.Exists(real))
        {
            await PlainAsync(context, 400, "Cannot read a directory.\n").ConfigureAwait(false);
            return;
        }

        // offset=-1 asks only for the size: it comes back as "offset" with empty data.
        long start = offset == -1 ? 0 : offset;
        if (offset == -1)
        {
            length = 0;
        }

        string data = string.Empty;
        long size;
        await using (var stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            size = stream.Length;
            long count = Math.Min(length ?? (size - start), MaxRead);
            if (start < size && count > 0)
            {
                stream.Seek(start, SeekOrigin.Begin);
                var bytes = new byte[count];
                int read = await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, context.RequestAborted).ConfigureAwait(false);
                data = Encoding.UTF8.GetString(bytes, 0, read);
            }
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(data.Length + 64);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("data", data);
            w.WriteNumber("offset", offset == -1 ? size : offset);
            w.WriteEndObject();
        }

        await JsonAsync(context, buffer.WrittenSpan.ToArray()).ConfigureAwait(false);
    }

    private static async Task DownloadAsync(HttpContext context, SandboxFiles files)
    {
        string? real = await ResolveAsync(context, files).ConfigureAwait(false);
        if (real is null)
        {
            return;
        }

        if (Directory.Exists(real))
        {
            await PlainAsync(context, 400, "Cannot download a directory.\n").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers.ContentDisposition = $"attachment; filename={Path.GetFileName(real)}";
        await context.Response.SendFileAsync(real, context.RequestAborted).ConfigureAwait(false);
    }

    private static Task DebugAsync(HttpContext context, SandboxFiles files)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (virtualPath, path) in files.Attached)
            {
                w.WriteString(virtualPath, path);
            }

            w.WriteEndObject();
        }

        return JsonAsync(context, buffer.WrittenSpan.ToArray());
    }

    /// <summary>Mesos's FileInfo model (src/common/http.cpp): path, nlink, size, mtime (seconds), mode as <c>ls -l</c> prints it, uid, gid.</summary>
    private static void WriteFileInfo(Utf8JsonWriter w, string path, FileSystemInfo entry)
    {
        bool directory = entry is DirectoryInfo;
        var mode = entry.UnixFileMode;
        w.WriteStartObject();
        w.WriteString("path", path);
        w.WriteNumber("nlink", directory ? 2 : 1);
        w.WriteNumber("size", entry is FileInfo file ? file.Length : 4096);
        w.WriteNumber("mtime", new DateTimeOffset(entry.LastWriteTimeUtc).ToUnixTimeSeconds());
        var text = new StringBuilder(10);
        text.Append(entry.LinkTarget is not null ? 'l' : directory ? 'd' : '-');
        foreach (var (flag, c) in new[]
        {
            (UnixFileMode.UserRead, 'r'), (UnixFileMode.UserWrite, 'w'), (UnixFileMode.UserExecute, 'x'),
            (UnixFileMode.GroupRead, 'r'), (UnixFileMode.GroupWrite, 'w'), (UnixFileMode.GroupExecute, 'x'),
            (UnixFileMode.OtherRead, 'r'), (UnixFileMode.OtherWrite, 'w'), (UnixFileMode.OtherExecute, 'x'),
        })
        {
            text.Append((mode & flag) != 0 ? c : '-');
        }

        w.WriteString("mode", text.ToString());
        string owner = Environment.UserName;
        w.WriteString("uid", owner);
        w.WriteString("gid", owner);
        w.WriteEndObject();
    }

    private static Task JsonAsync(HttpContext context, byte[] bytes)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    private static Task PlainAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message, context.RequestAborted);
    }
}
