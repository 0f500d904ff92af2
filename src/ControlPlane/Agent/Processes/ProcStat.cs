using System.Globalization;

namespace Minuet.ControlPlane.Agent.Processes;

/// <summary>
/// The identity of a process from <c>/proc/PID/stat</c>: its start time in clock ticks since boot (field 22) and
/// its state letter. A pid plus start time names one process for the life of the machine, so a re-adopted
/// task is never confused with an unrelated process that reused the pid.
/// </summary>
internal readonly record struct ProcStat(int Pid, long StartTime, char State, int ProcessGroup)
{
    /// <summary>Zombies (Z) and dead (X) processes no longer run anything.</summary>
    public bool IsAlive => State is not ('Z' or 'X');

    public static ProcStat? TryRead(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(pid, text);
    }

    /// <summary>Parses a stat line; the command name may contain spaces and parentheses, so fields start after the last ')'.</summary>
    public static ProcStat? Parse(int pid, string text)
    {
        int close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length)
        {
            return null;
        }

        var fields = text[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state); starttime is field 22, i.e. fields[19].
        // fields[2] is field 5 (pgrp).
        if (fields.Length < 20 || fields[0].Length != 1 ||
            !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long start) ||
            !int.TryParse(fields[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int pgrp))
        {
            return null;
        }

        return new ProcStat(pid, start, fields[0][0], pgrp);
    }

    /// <summary>True when <paramref name="pid"/> is still the same living process that started at <paramref name="startTime"/>.</summary>
    public static bool IsSameLiveProcess(int pid, long startTime) =>
        TryRead(pid) is { } stat && stat.StartTime == startTime && stat.IsAlive;

    /// <summary>
    /// True while any process of group <paramref name="pgid"/> is still alive. Zombies do not count: orphans are
    /// reparented to PID 1, which may reap them late, and a zombie runs nothing.
    /// </summary>
    public static bool GroupHasLiveMembers(int pgid)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) &&
                TryRead(pid) is { } stat && stat.ProcessGroup == pgid && stat.IsAlive)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when signalling process group <paramref name="pgid"/> can only reach the task that started as
    /// (<paramref name="pgid"/>, <paramref name="startTime"/>): the leader is still that process, or no process has
    /// that pid (Linux does not hand out a pid while a group of that id still has members, so the group's
    /// remaining members are the task's). A live process with another start time means the pid was reused.
    /// </summary>
    public static bool IsTaskGroup(int pgid, long? startTime) =>
        TryRead(pgid) is not { } stat || startTime is null || stat.StartTime == startTime;
}
