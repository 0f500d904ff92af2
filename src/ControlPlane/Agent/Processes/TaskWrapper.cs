namespace Minuet.ControlPlane.Agent.Processes;

/// <summary>
/// The tiny POSIX shell that is the first process of every task. It moves itself into the task's cgroups
/// before anything else runs (no race with forks), points stdio at the sandbox files, runs the command, and
/// writes the command's exit status to a file. That file is how an agent that restarted learns the exit code
/// of a task it is no longer the parent of. The wrapper traps TERM/INT/HUP with a no-op handler so a group
/// SIGTERM reaches the command (handlers, unlike ignored signals, reset to default across exec) while the
/// wrapper survives to record the status; only SIGKILL takes it down too.
/// Arguments: $1 stdout file, $2 stderr file, $3 exit-status file, $4 colon-separated cgroup.procs files
/// (may be empty), then the command's argv.
/// </summary>
internal static class TaskWrapper
{
    public const string Script =
        "out=$1; err=$2; status=$3; procs=$4; shift 4\n" +
        "exec </dev/null >>\"$out\" 2>>\"$err\"\n" +
        "if [ -n \"$procs\" ]; then\n" +
        "  old_ifs=$IFS; IFS=:\n" +
        "  for f in $procs; do echo $$ > \"$f\" || { echo \"minuet: cannot join cgroup $f\" >&2; exit 125; }; done\n" +
        "  IFS=$old_ifs\n" +
        "fi\n" +
        "trap : TERM INT HUP\n" +
        "\"$@\"\n" +
        "s=$?\n" +
        "echo $s > \"$status.tmp\" && mv -f \"$status.tmp\" \"$status\"\n" +
        "exit $s\n";

    /// <summary>argv for the wrapper: <c>/bin/sh -c SCRIPT minuet-task out err status procs cmd...</c>.</summary>
    public static IReadOnlyList<string> Argv(string stdoutPath, string stderrPath, string statusPath,
        IReadOnlyList<string> cgroupProcsFiles, IReadOnlyList<string> command)
    {
        var argv = new List<string>(8 + command.Count)
        {
            "/bin/sh", "-c", Script, "minuet-task", stdoutPath, stderrPath, statusPath, string.Join(':', cgroupProcsFiles),
        };
        argv.AddRange(command);
        return argv;
    }
}
