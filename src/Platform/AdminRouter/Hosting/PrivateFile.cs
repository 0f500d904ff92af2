namespace Minuet.Platform.AdminRouter.Hosting;

/// <summary>Writes a file only its owner can read (mode 0600 from creation, never briefly world-readable), then moves it in place.</summary>
internal static class PrivateFile
{
    public static void Write(string path, Action<Stream> write, bool overwrite = true)
    {
        string temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            write(stream);
        }

        File.Move(temp, path, overwrite);
    }
}
