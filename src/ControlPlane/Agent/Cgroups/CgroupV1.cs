using System.Globalization;

namespace Minuet.ControlPlane.Agent.Cgroups;

/// <summary>
/// Per-task cgroup v1 limits as Mesos sets them: <c>cpu.shares</c> = 1024 per CPU (at least 2) and
/// <c>memory.limit_in_bytes</c> = the task's mem (at least 32 MB, Mesos's minimum). Each controller is used only
/// when its hierarchy is mounted and writable here; otherwise the task runs unlimited and the agent says so once.
/// Directories are <c>&lt;root&gt;/&lt;controller&gt;/&lt;parent&gt;/&lt;taskId&gt;</c>, derived from the task id so a
/// restarted agent finds them again.
/// </summary>
internal sealed class CgroupV1
{
    private const double MinMemoryMb = 32;
    private readonly string _root;
    private readonly string _parent;

    public CgroupV1(string root, string parent)
    {
        _root = root;
        _parent = parent;
        CpuAvailable = Usable("cpu", "cpu.shares");
        MemoryAvailable = Usable("memory", "memory.limit_in_bytes");
    }

    public bool CpuAvailable { get; }

    public bool MemoryAvailable { get; }

    /// <summary>The directories a task has (or would have): the same answer before and after a restart.</summary>
    public TaskCgroups For(string taskId) => new(
        CpuAvailable ? Path.Combine(_root, "cpu", _parent, taskId) : null,
        MemoryAvailable ? Path.Combine(_root, "memory", _parent, taskId) : null);

    /// <summary>Creates the task's cgroups and writes its limits; returns the error text on failure.</summary>
    public string? Create(string taskId, double cpus, double memMb, out TaskCgroups cgroups)
    {
        cgroups = For(taskId);
        try
        {
            if (cgroups.CpuDir is { } cpu)
            {
                Directory.CreateDirectory(cpu);
                long shares = Math.Max(2, (long)Math.Round(cpus * 1024));
                File.WriteAllText(Path.Combine(cpu, "cpu.shares"), shares.ToString(CultureInfo.InvariantCulture));
            }

            if (cgroups.MemoryDir is { } memory)
            {
                Directory.CreateDirectory(memory);
                if (memMb > 0)
                {
                    long bytes = (long)(Math.Max(MinMemoryMb, memMb) * 1024 * 1024);
                    File.WriteAllText(Path.Combine(memory, "memory.limit_in_bytes"), bytes.ToString(CultureInfo.InvariantCulture));
                }
            }

            return null;
        }
        catch (IOException e)
        {
            return $"cgroup setup failed: {e.Message}";
        }
        catch (UnauthorizedAccessException e)
        {
            return $"cgroup setup failed: {e.Message}";
        }
    }

    /// <summary>Every process still in any of the task's cgroups (children that left the process group included).</summary>
    public static IReadOnlyList<int> Pids(TaskCgroups cgroups)
    {
        var pids = new HashSet<int>();
        foreach (var file in cgroups.ProcsFiles)
        {
            try
            {
                foreach (var line in File.ReadLines(file))
                {
                    if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                    {
                        pids.Add(pid);
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return pids.ToList();
    }

    /// <summary>True when the kernel OOM-killed something in the task's memory cgroup (<c>oom_kill</c> counter, Linux 4.13+).</summary>
    public static bool OomKilled(TaskCgroups cgroups)
    {
        if (cgroups.MemoryDir is null)
        {
            return false;
        }

        try
        {
            foreach (var line in File.ReadLines(Path.Combine(cgroups.MemoryDir, "memory.oom_control")))
            {
                if (line.StartsWith("oom_kill ", StringComparison.Ordinal) &&
                    long.TryParse(line["oom_kill ".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out long count))
                {
                    return count > 0;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return false;
    }

    /// <summary>Removes the task's cgroup directories; false while processes remain in them.</summary>
    public static bool Remove(TaskCgroups cgroups)
    {
        bool all = true;
        foreach (var dir in cgroups.Dirs)
        {
            try
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir);
                }
            }
            catch (IOException)
            {
                all = false;
            }
            catch (UnauthorizedAccessException)
            {
                all = false;
            }
        }

        return all;
    }

    private bool Usable(string controller, string probeFile)
    {
        var mount = Path.Combine(_root, controller);
        if (!File.Exists(Path.Combine(mount, probeFile)))
        {
            return false;
        }

        try
        {
            var parent = Path.Combine(mount, _parent);
            Directory.CreateDirectory(parent);
            return File.Exists(Path.Combine(parent, probeFile));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
