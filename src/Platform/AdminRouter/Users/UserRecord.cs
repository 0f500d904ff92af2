using System.Text.Json.Serialization;

namespace Minuet.Platform.AdminRouter.Users;

/// <summary>One local user as stored: the uid, a description, the password hash (never the password).</summary>
internal sealed record UserRecord(
    [property: JsonPropertyName("uid")] string Uid,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("hash")] string Hash);

/// <summary>The whole store file.</summary>
internal sealed record UserFile([property: JsonPropertyName("users")] IReadOnlyList<UserRecord> Users);
