namespace Minuet.Cli.Cluster;

/// <summary>Whether <c>up</c> can keep its state in a directory: created if missing, and writable.</summary>
internal static class StateDirectory
{
    /// <summary>Null when usable, else the reason (the system's words, not a stack trace).</summary>
    public static string? Check(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            string probe = Path.Combine(path, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return e.Message.TrimEnd('.');
        }
    }
}
