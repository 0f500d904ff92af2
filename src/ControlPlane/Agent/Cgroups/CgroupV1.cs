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
        (CpuAvailable, var cpuWhy) = Usable("cpu", "cpu.shares");
        (MemoryAvailable, var memoryWhy) = Usable("memory", "memory.limit_in_bytes");
        UnavailableReason = (cpuWhy, memoryWhy) switch
        {
            (null, null) => null,
            ({ } c, null) => c,
            (null, { } m) => m,
            ({ } c, { } m) when c == m => c,
            ({ } c, { } m) => c + "; " + m,
        };
    }

    /// <summary>True once a task's cgroups could not be created (access revoked after start): tasks then run unlimited.</summary>
    public bool CpuAvailable { get; private set; }

    public bool MemoryAvailable { get; private set; }

    /// <summary>Why a controller is not used (no hierarchy, no write access), or null when both are.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>Mesos's <c>--isolation</c> name for what limits tasks here: <c>cgroups/cpu,cgroups/mem</c> or <c>posix/…</c> (no limits).</summary>
    public string Isolation => (CpuAvailable ? "cgroups/cpu" : "posix/cpu") + "," + (MemoryAvailable ? "cgroups/mem" : "posix/mem");

    /// <summary>Stops using cgroups (a launch found them unwritable); false when they were already off.</summary>
    public bool Disable(string reason)
    {
        if (!CpuAvailable && !MemoryAvailable)
        {
            return false;
        }

        CpuAvailable = false;
        MemoryAvailable = false;
        UnavailableReason = reason;
        return true;
    }

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

    /// <summary>
    /// A controller is usable when its hierarchy is mounted and this process can create a cgroup under the parent.
    /// The probe creates and removes a child: a parent left by an earlier root run exists and looks complete, but
    /// an unprivileged agent cannot create task cgroups in it, and every launch would fail.
    /// </summary>
    private (bool Usable, string? Why) Usable(string controller, string probeFile)
    {
        var mount = Path.Combine(_root, controller);
        if (!File.Exists(Path.Combine(mount, probeFile)))
        {
            return (false, $"no cgroup v1 {controller} hierarchy at {mount}");
        }

        var parent = Path.Combine(mount, _parent);
        var probe = Path.Combine(parent, $".probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(parent);
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
            return File.Exists(Path.Combine(parent, probeFile)) ? (true, null) : (false, $"{parent} is not a cgroup (no {probeFile})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (false, $"cannot create cgroups under {parent}: {e.Message}");
        }
    }
}
