using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Minuet.ControlPlane.Agent.Tasks;

/// <summary>
/// The agent's files under <c>--work-dir</c>:
/// <c>meta/agent.json</c>, <c>meta/tasks/&lt;taskId&gt;/task.json</c> and <c>.../exit_status</c> (written by the task
/// wrapper), and <c>sandboxes/&lt;taskId&gt;/</c> (MESOS_SANDBOX with <c>stdout</c>, <c>stderr</c>). Writes go to a
/// temporary file, are flushed to disk and renamed over the old one, so a crash leaves the old or the new file.
/// </summary>
internal sealed partial class CheckpointStore(string workDir)
{
    public string WorkDir { get; } = Path.GetFullPath(workDir);

    private string MetaDir => Path.Combine(WorkDir, "meta");

    private string TasksDir => Path.Combine(MetaDir, "tasks");

    public string TaskMetaDir(string taskId) => Path.Combine(TasksDir, taskId);

    public string ExitStatusFile(string taskId) => Path.Combine(TaskMetaDir(taskId), "exit_status");

    public string Sandbox(string taskId) => Path.Combine(WorkDir, "sandboxes", taskId);

    /// <summary>
    /// Takes the work dir for this agent process (an exclusive lock on <c>meta/agent.lock</c>, released when the
    /// returned stream is disposed or the process dies); null with the reason when another agent holds it.
    /// </summary>
    public (FileStream? Lock, string? Error) TryLock()
    {
        try
        {
            Directory.CreateDirectory(MetaDir);
            return (new FileStream(Path.Combine(MetaDir, "agent.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), null);
        }
        catch (IOException e)
        {
            return (null, $"--work-dir '{WorkDir}' is in use by another agent ({e.Message})");
        }
        catch (UnauthorizedAccessException e)
        {
            return (null, $"--work-dir '{WorkDir}': {e.Message}");
        }
    }

    public AgentCheckpoint LoadAgent() => Read(Path.Combine(MetaDir, "agent.json"), CheckpointJson.Default.AgentCheckpoint) ?? new AgentCheckpoint();

    public void SaveAgent(AgentCheckpoint checkpoint) => Write(Path.Combine(MetaDir, "agent.json"), checkpoint, CheckpointJson.Default.AgentCheckpoint);

    public void SaveTask(TaskCheckpoint checkpoint) =>
        Write(Path.Combine(TaskMetaDir(checkpoint.Launch.TaskId), "task.json"), checkpoint, CheckpointJson.Default.TaskCheckpoint);

    /// <summary>Forgets a task whose terminal update was acknowledged (its sandbox stays for the operator).</summary>
    public void DeleteTask(string taskId)
    {
        var dir = TaskMetaDir(taskId);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Every readable task checkpoint, plus the directories whose file could not be read (with the reason).</summary>
    public (IReadOnlyList<TaskCheckpoint> Tasks, IReadOnlyList<string> Errors) LoadTasks()
    {
        var tasks = new List<TaskCheckpoint>();
        var errors = new List<string>();
        if (!Directory.Exists(TasksDir))
        {
            return (tasks, errors);
        }

        foreach (var dir in Directory.EnumerateDirectories(TasksDir))
        {
            var file = Path.Combine(dir, "task.json");
            try
            {
                var task = Read(file, CheckpointJson.Default.TaskCheckpoint);
                if (task is null)
                {
                    errors.Add($"{file}: missing");
                }
                else
                {
                    tasks.Add(task);
                }
            }
            catch (JsonException e)
            {
                errors.Add($"{file}: {e.Message}");
            }
        }

        return (tasks, errors);
    }

    /// <summary>The exit status the task wrapper recorded, or null when the command never finished normally.</summary>
    public int? ReadExitStatus(string taskId)
    {
        try
        {
            var text = File.ReadAllText(ExitStatusFile(taskId)).Trim();
            return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code) ? code : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static T? Read<T>(string file, JsonTypeInfo<T> type)
        where T : class
    {
        if (!File.Exists(file))
        {
            return null;
        }

        using var stream = File.OpenRead(file);
        return JsonSerializer.Deserialize(stream, type);
    }

    private static void Write<T>(string file, T value, JsonTypeInfo<T> type)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = file + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, value, type);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, file, overwrite: true);
    }
}
