using System.Text.Json;
using System.Text.RegularExpressions;

namespace Minuet.Platform.AdminRouter.Users;

/// <summary>
/// The local user store, <c>&lt;state-dir&gt;/auth/users.json</c> (mode 0600). Read from disk on every call, so users
/// added by <c>minuet auth add-user</c> while the router runs count at once; written whole through a temp file,
/// so a reader never sees half a file. One lock orders this process's writers.
/// </summary>
internal sealed partial class UserStore
{
    public const string FileName = "users.json";

    private readonly string _path;
    private readonly int _iterations;
    private readonly Lock _gate = new();

    public UserStore(string directory, int iterations)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, FileName);
        _iterations = iterations;
    }

    /// <summary>A uid is what DC/OS accepted: letters, digits, <c>@ . _ -</c>, 1-96 characters.</summary>
    public static string? CheckUid(string uid) =>
        UidPattern().IsMatch(uid) ? null : $"uid: must be 1-96 letters, digits or @._- characters, got \"{(uid.Length > 40 ? uid[..40] + "..." : uid)}\"";

    public static string? CheckPassword(string password) =>
        password.Length >= 8 ? null : "password: must be at least 8 characters";

    public IReadOnlyList<UserRecord> List() => Read().Users;

    public bool IsEmpty => Read().Users.Count == 0;

    public UserRecord? Find(string uid) => Read().Users.FirstOrDefault(u => u.Uid == uid);

    /// <summary>Adds or replaces a user; null when done, else why not.</summary>
    public string? Put(string uid, string password, string description)
    {
        if ((CheckUid(uid) ?? CheckPassword(password)) is { } invalid)
        {
            return invalid;
        }

        var record = new UserRecord(uid, description, PasswordHash.Create(password, _iterations));
        lock (_gate)
        {
            var users = Read().Users.Where(u => u.Uid != uid).Append(record).OrderBy(u => u.Uid, StringComparer.Ordinal).ToList();
            Write(new UserFile(users));
        }

        return null;
    }

    /// <summary>Adds the user only if the store is empty (the first login bootstraps the first user, as DC/OS did).</summary>
    public bool TryBootstrap(string uid, string password)
    {
        lock (_gate)
        {
            if (Read().Users.Count > 0 || CheckUid(uid) is not null || CheckPassword(password) is not null)
            {
                return false;
            }

            Write(new UserFile([new UserRecord(uid, "first user (bootstrapped at first login)", PasswordHash.Create(password, _iterations))]));
            return true;
        }
    }

    public bool Remove(string uid)
    {
        lock (_gate)
        {
            var users = Read().Users;
            if (users.All(u => u.Uid != uid))
            {
                return false;
            }

            Write(new UserFile(users.Where(u => u.Uid != uid).ToList()));
            return true;
        }
    }

    public bool Verify(string uid, string password) => Find(uid) is { } user && PasswordHash.Verify(password, user.Hash);

    private UserFile Read()
    {
        try
        {
            return JsonSerializer.Deserialize<UserFile>(File.ReadAllText(_path)) ?? new UserFile([]);
        }
        catch (FileNotFoundException)
        {
            return new UserFile([]);
        }
    }

    private void Write(UserFile file) => Hosting.PrivateFile.Write(_path, stream => JsonSerializer.Serialize(stream, file));

    [GeneratedRegex("^[A-Za-z0-9@._-]{1,96}$")]
    private static partial Regex UidPattern();
}
