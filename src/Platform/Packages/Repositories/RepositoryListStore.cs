using System.Text.Json;
using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Model;

namespace Minuet.Platform.Packages.Repositories;

/// <summary>
/// The ordered repository list (the first repository that has a package wins), kept in
/// <c>&lt;state-dir&gt;/repositories.json</c> so it survives restarts. Every change is written before it is answered,
/// through a temporary file and a rename, so a crash never leaves half a list.
/// </summary>
internal sealed class RepositoryListStore
{
    public const string FileName = "repositories.json";

    private readonly string? _path;
    private readonly Lock _gate = new();
    private List<PackageRepository> _repositories;

    private RepositoryListStore(string? path, List<PackageRepository> repositories)
    {
        _path = path;
        _repositories = repositories;
    }

    /// <summary>Reads the saved list from <paramref name="stateDir"/> (null: in memory only).</summary>
    public static RepositoryListStore Open(string? stateDir, out string? warning)
    {
        warning = null;
        string? path = stateDir is null ? null : Path.Combine(stateDir, FileName);
        var list = new List<PackageRepository>();
        if (path is not null && File.Exists(path))
        {
            try
            {
                list = JsonSerializer.Deserialize<SavedList>(File.ReadAllText(path))?.Repositories ?? [];
            }
            catch (JsonException e)
            {
                warning = $"{path} is not a repository list ({e.Message}); starting from the default list and keeping the bad file as {path}.bad";
                File.Copy(path, path + ".bad", overwrite: true);
                list = [];
            }
        }

        var store = new RepositoryListStore(path, list);
        store.Save();
        return store;
    }

    /// <summary>
    /// Puts <paramref name="first"/> (the local Universe) first unless the list already has its URI; an entry of
    /// the same name (an earlier run's address) is replaced.
    /// </summary>
    public void EnsureFirst(PackageRepository first)
    {
        lock (_gate)
        {
            if (_repositories.Any(r => r.Uri == first.Uri))
            {
                return;
            }

            var next = _repositories.Where(r => r.Name != first.Name).ToList();
            next.Insert(0, first);
            _repositories = next;
            Save();
        }
    }

    public IReadOnlyList<PackageRepository> List()
    {
        lock (_gate)
        {
            return [.. _repositories];
        }
    }

    public Outcome<IReadOnlyList<PackageRepository>> Add(string name, string uri, int? index)
    {
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != "http" && parsed.Scheme != "https"))
        {
            return CosmosErrors.RepositoryUriSyntax(uri, "not an absolute http(s) URI");
        }

        lock (_gate)
        {
            if (_repositories.Any(r => r.Name == name))
            {
                return CosmosErrors.RepositoryAlreadyPresent("name", name);
            }

            if (_repositories.Any(r => r.Uri == uri))
            {
                return CosmosErrors.RepositoryAlreadyPresent("uri", uri);
            }

            int at = index ?? _repositories.Count;
            if (at < 0 || at > _repositories.Count)
            {
                return CosmosErrors.RepositoryAddIndexOutOfBounds(at, _repositories.Count);
            }

            var next = new List<PackageRepository>(_repositories);
            next.Insert(at, new PackageRepository(name, uri));
            return Commit(next);
        }
    }

    public Outcome<IReadOnlyList<PackageRepository>> Delete(string? name, string? uri)
    {
        lock (_gate)
        {
            var found = _repositories.FirstOrDefault(r => (name is not null && r.Name == name) || (name is null && r.Uri == uri));
            if (found is null)
            {
                return name is not null ? CosmosErrors.RepositoryNotPresent("name", name) : CosmosErrors.RepositoryNotPresent("uri", uri ?? string.Empty);
            }

            return Commit(_repositories.Where(r => r != found).ToList());
        }
    }

    private Outcome<IReadOnlyList<PackageRepository>> Commit(List<PackageRepository> next)
    {
        var previous = _repositories;
        _repositories = next;
        try
        {
            Save();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _repositories = previous;
            return new CosmosError("RepositoryListNotSaved", $"The repository list could not be saved: {e.Message}", null, 500);
        }

        return next;
    }

    private void Save()
    {
        if (_path is null)
        {
            return;
        }

        string temp = _path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(new SavedList { Repositories = _repositories }));
        File.Move(temp, _path, overwrite: true);
    }

    public static JsonObject ToJson(IEnumerable<PackageRepository> repositories) => new()
    {
        ["repositories"] = new JsonArray(repositories.Select(r => (JsonNode)new JsonObject { ["name"] = r.Name, ["uri"] = r.Uri }).ToArray()),
    };

    private sealed class SavedList
    {
        [System.Text.Json.Serialization.JsonPropertyName("repositories")]
        public List<PackageRepository> Repositories { get; set; } = [];
    }
}
