using System.Globalization;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Configuration;

/// <summary>
/// What an agent offers when <c>--resources</c> leaves a resource out, following Mesos: all CPUs, memory minus
/// min(1 GB, half), disk of the work dir minus min(5 GB, half), and ports <c>[31000-32000]</c>.
/// </summary>
internal static class ResourceDefaults
{
    public static ResourceSet Detect(string workDir)
    {
        double memMb = ReadMemTotalMb();
        double diskMb = 0;
        try
        {
            var root = Path.GetPathRoot(Path.GetFullPath(workDir)) ?? "/";
            diskMb = new DriveInfo(root).AvailableFreeSpace / 1048576.0;
        }
        catch (IOException)
        {
            // No such volume yet: offer no disk rather than guess.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return new ResourceSet
        {
            Cpus = Environment.ProcessorCount,
            Mem = Math.Floor(memMb - Math.Min(1024, memMb / 2)),
            Disk = Math.Floor(diskMb - Math.Min(5120, diskMb / 2)),
            Ports = [new PortRange(31000, 32000)],
        };
    }

    private static double ReadMemTotalMb()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    var kb = line["MemTotal:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim();
                    return double.Parse(kb, CultureInfo.InvariantCulture) / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }

        return 1024;
    }
}
