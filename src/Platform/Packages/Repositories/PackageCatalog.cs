using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Minuet.Platform.Packages.Model;

namespace Minuet.Platform.Packages.Repositories;

/// <summary>
/// The packages of every repository, in list order: the first repository holding a package name answers for it
/// (Cosmos's "lowest index wins"). Repositories that fail are skipped and reported, so the others keep working.
/// </summary>
internal sealed class PackageCatalog
{
    private readonly RepositoryListStore _list;
    private readonly RepositoryCache _cache;

    public PackageCatalog(RepositoryListStore list, RepositoryCache cache)
    {
        _list = list;
        _cache = cache;
    }

    public RepositoryListStore Repositories => _list;

    /// <summary>Each repository's packages, or its error.</summary>
    public async Task<IReadOnlyList<(PackageRepository Repository, Outcome<IReadOnlyList<PackageDefinition>> Packages)>> LoadAsync(CancellationToken cancellationToken)
    {
        var result = new List<(PackageRepository, Outcome<IReadOnlyList<PackageDefinition>>)>();
        foreach (var repository in _list.List())
        {
            result.Add((repository, await _cache.GetAsync(repository, cancellationToken).ConfigureAwait(false)));
        }

        return result;
    }

    /// <summary>Every revision of <paramref name="name"/> from the first repository that has it.</summary>
    public async Task<Outcome<(PackageRepository Repository, IReadOnlyList<PackageDefinition> Revisions)>> RevisionsAsync(string name, CancellationToken cancellationToken)
    {
        var failures = new JsonArray();
        foreach (var (repository, packages) in await LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!packages.IsSuccess)
            {
                failures.Add(packages.Error.ToJson());
                continue;
            }

            var revisions = packages.Value.Where(p => p.Name == name).OrderBy(p => p.ReleaseVersion).ToList();
            if (revisions.Count > 0)
            {
                return (repository, revisions);
            }
        }

        var error = CosmosErrors.PackageNotFound(name);
        if (failures.Count > 0)
        {
            // Not found among the repositories that answered; say which did not, since one of them may hold it.
            error.Data!["repositoryErrors"] = failures;
        }

        return error;
    }

    /// <summary>The named version (or the newest release), with the URI of the repository it comes from.</summary>
    public async Task<Outcome<(PackageRepository Repository, PackageDefinition Package)>> FindAsync(string name, string? version, CancellationToken cancellationToken)
    {
        var found = await RevisionsAsync(name, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var (repository, revisions) = found.Value;
        var package = version is null ? revisions[^1] : revisions.LastOrDefault(r => r.Version == version);
        return package is null ? CosmosErrors.VersionNotFound(name, version!) : (repository, package);
    }

    /// <summary>Cosmos's search: with <c>*</c> an anchored, case-insensitive glob; else a case-insensitive substring; over name, description and tags.</summary>
    public static Func<PackageDefinition, bool> Matcher(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return _ => true;
        }

        if (query.Contains('*', StringComparison.Ordinal))
        {
            var glob = new Regex("^" + string.Join(".*", query.Split('*').Select(Regex.Escape)) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return p => glob.IsMatch(p.Name) || glob.IsMatch(p.Description) || p.Tags.Any(glob.IsMatch);
        }

        return p => p.Name.Contains(query, StringComparison.OrdinalIgnoreCase) || p.Description.Contains(query, StringComparison.OrdinalIgnoreCase) ||
            p.Tags.Any(t => t.Contains(query, StringComparison.OrdinalIgnoreCase));
    }
}
