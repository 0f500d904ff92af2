using System.Text.Json.Serialization;

namespace Minuet.Platform.Packages.Repositories;

/// <summary>One entry of the repository list: its name and the URI its index is fetched from.</summary>
internal sealed record PackageRepository(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("uri")] string Uri);
