using System.Diagnostics;
using System.Formats.Tar;

namespace Minuet.Cli.Docker;

/// <summary>
/// A root filesystem tarball around a static busybox (Debian's <c>busybox-static</c>): <c>/bin/busybox</c>, a
/// symlink per applet where <c>busybox --list-full</c> puts it (so <c>/bin/sh</c>, <c>/bin/httpd</c>, ... exist), a
/// world-writable <c>/tmp</c>, and <c>/etc/passwd</c>/<c>/etc/group</c> with root and nobody. Images need no
/// registry: this tarball is what <c>docker import</c> takes.
/// </summary>
internal static class BusyboxRootfs
{
    public const string DefaultBinary = "/bin/busybox";

    /// <summary>Why <paramref name="busybox"/> cannot run alone in a container, or null when it can.</summary>
    public static string? Problem(string busybox)
    {
        if (!File.Exists(busybox))
        {
            return $"{busybox} does not exist; install Debian's busybox-static (apt-get install busybox-static)";
        }

        return IsDynamic(busybox) is { } dynamic && dynamic
            ? $"{busybox} is dynamically linked, so it cannot run in an empty image; install Debian's busybox-static instead of busybox"
            : null;
    }

    /// <summary>Writes the tarball to <paramref name="output"/>; returns how many applet links it holds.</summary>
    public static async Task<int> WriteAsync(string busybox, Stream output, CancellationToken cancellationToken)
    {
        var applets = await AppletsAsync(busybox, cancellationToken).ConfigureAwait(false);
        await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        var dirs = new SortedSet<string>(StringComparer.Ordinal) { "bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "root", "var", "www" };
        foreach (var applet in applets)
        {
            string? dir = Path.GetDirectoryName(applet);
            while (!string.IsNullOrEmpty(dir))
            {
                dirs.Add(dir);
                dir = Path.GetDirectoryName(dir);
            }
        }

        foreach (var dir in dirs)
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, dir + "/") { Mode = Mode755 }, cancellationToken).ConfigureAwait(false);
        }

        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "tmp/") { Mode = Mode755 | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.StickyBit }, cancellationToken).ConfigureAwait(false);
        await using (var binary = File.OpenRead(busybox))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { Mode = Mode755, DataStream = binary }, cancellationToken).ConfigureAwait(false);
        }

        int links = 0;
        foreach (var applet in applets.Where(a => a != "bin/busybox"))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, applet) { LinkName = "/bin/busybox", Mode = Mode755 }, cancellationToken).ConfigureAwait(false);
            links++;
        }

        await WriteTextAsync(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n", cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(tar, "etc/group", "root:x:0:\nnogroup:x:65534:\n", cancellationToken).ConfigureAwait(false);
        return links;
    }

    private const UnixFileMode Mode755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static async Task WriteTextAsync(TarWriter tar, string name, string text, CancellationToken cancellationToken)
    {
        using var data = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, DataStream = data }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every applet path relative to / (<c>busybox --list-full</c>: <c>bin/sh</c>, <c>usr/bin/wget</c>, ...).</summary>
    private static async Task<List<string>> AppletsAsync(string busybox, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(busybox) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--list-full");
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not run {busybox}");
        string text = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{busybox} --list-full exited with {process.ExitCode}");
        }

        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => !p.Contains("..", StringComparison.Ordinal) && !p.StartsWith('/'))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>True when the ELF file asks for a program interpreter (PT_INTERP), i.e. needs a libc; null if unreadable.</summary>
    private static bool? IsDynamic(string path)
    {
        const uint PtInterp = 3;
        try
        {
            using var file = File.OpenRead(path);
            using var reader = new BinaryReader(file);
            byte[] ident = reader.ReadBytes(16);
            if (ident.Length < 16 || ident[0] != 0x7f || ident[1] != (byte)'E' || ident[4] != 2)
            {
                return null; // not a 64-bit ELF: let the daemon judge
            }

            file.Position = 0x20;
            long phoff = reader.ReadInt64();
            file.Position = 0x36;
            int phentsize = reader.ReadUInt16();
            int phnum = reader.ReadUInt16();
            for (int i = 0; i < phnum; i++)
            {
                file.Position = phoff + ((long)i * phentsize);
                if (reader.ReadUInt32() == PtInterp)
                {
                    return true;
                }
            }

            return false;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
