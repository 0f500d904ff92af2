using System.Text.Json;
using System.Text.Json.Nodes;

namespace Minuet.Cli.Client;

/// <summary>
/// The CLI's own settings, DC/OS CLI style: <c>core.url</c> (the cluster's Admin Router) and
/// <c>core.dcos_acs_token</c> (set by <c>minuet auth login</c>). The file is <c>$MINUET_CONFIG</c>, else
/// <c>~/.minuet/config.json</c>; it is written with mode 0600 since it holds a token.
/// </summary>
internal sealed class CliConfig
{
    public const string Variable = "MINUET_CONFIG";
    public const string UrlKey = "core.url";
    public const string TokenKey = "core.dcos_acs_token";
    public static readonly IReadOnlyList<string> Keys = [UrlKey, TokenKey];

    private readonly JsonObject _root;

    private CliConfig(string path, JsonObject root)
    {
        Path = path;
        _root = root;
    }

    public string Path { get; }

    public string? Url => Get(UrlKey);

    public string? Token => Get(TokenKey);

    public static string DefaultPath()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } file)
        {
            return file;
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
        return System.IO.Path.Combine(home.Length > 0 ? home : System.IO.Path.GetTempPath(), ".minuet", "config.json");
    }

    /// <summary>The settings, or empty ones when the file is missing or unreadable (the error says why when it exists but is bad).</summary>
    public static CliConfig Load(out string? error)
    {
        error = null;
        string path = DefaultPath();
        try
        {
            return new CliConfig(path, JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? []);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new CliConfig(path, []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            error = $"cannot read {path}: {e.Message}";
            return new CliConfig(path, []);
        }
    }

    public static CliConfig Load() => Load(out _);

    public string? Get(string key)
    {
        var (section, name) = Split(key);
        return _root[section] is JsonObject s && s[name] is JsonValue v && v.TryGetValue(out string? text) ? text : null;
    }

    public void Set(string key, string? value)
    {
        var (section, name) = Split(key);
        if (_root[section] is not JsonObject s)
        {
            s = [];
            _root[section] = s;
        }

        if (value is null)
        {
            s.Remove(name);
        }
        else
        {
            s[name] = value;
        }
    }

    public void Save()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        string text = _root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        Platform.AdminRouter.Hosting.PrivateFile.Write(Path, stream =>
        {
            using var writer = new StreamWriter(stream);
            writer.Write(text);
        });
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // an older file may have been wider
        }
    }

    private static (string Section, string Name) Split(string key)
    {
        int dot = key.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? (key[..dot], key[(dot + 1)..]) : ("core", key);
    }
}
