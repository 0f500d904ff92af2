using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Minuet.Platform.Ui.Hosting;

/// <summary>
/// The bundled UI (index.html, assets/app.js, assets/style.css), embedded in this assembly by the project's
/// <c>UiEmbed</c> target under <c>ui/</c> and read once. Keys are request paths (<c>/index.html</c>, <c>/assets/app.js</c>).
/// </summary>
internal static class UiAssets
{
    private const string ResourcePrefix = "ui/";

    private static readonly Lazy<FrozenDictionary<string, UiAsset>> Files = new(Load);

    public static FrozenDictionary<string, UiAsset> All => Files.Value;

    public static UiAsset? Find(string path) => All.TryGetValue(path, out var asset) ? asset : null;

    private static FrozenDictionary<string, UiAsset> Load()
    {
        var assembly = typeof(UiAssets).Assembly;
        var files = new Dictionary<string, UiAsset>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            byte[] content = Read(assembly, name);
            string etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"";
            files["/" + name[ResourcePrefix.Length..].Replace('\\', '/')] = new UiAsset(content, ContentTypeOf(name), etag);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
