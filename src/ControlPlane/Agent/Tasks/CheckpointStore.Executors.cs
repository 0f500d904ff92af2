using System.Text.Json;
using Minuet.ControlPlane.Agent.Executors;

namespace Minuet.ControlPlane.Agent.Tasks;

/// <summary>Custom executors' checkpoints: <c>meta/executors/&lt;framework&gt;/&lt;executor&gt;/executor.json</c>, one per live run.</summary>
internal sealed partial class CheckpointStore
{
    private string ExecutorsDir => Path.Combine(MetaDir, "executors");

    private string ExecutorMetaDir(string frameworkId, string executorId) => Path.Combine(ExecutorsDir, frameworkId, executorId);

    public void SaveExecutor(ExecutorCheckpoint checkpoint) =>
        Write(Path.Combine(ExecutorMetaDir(checkpoint.FrameworkId, checkpoint.Info.ExecutorId), "executor.json"), checkpoint, CheckpointJson.Default.ExecutorCheckpoint);

    /// <summary>Forgets an executor run that ended (its sandbox stays for the operator).</summary>
    public void DeleteExecutor(string frameworkId, string executorId)
    {
        var dir = ExecutorMetaDir(frameworkId, executorId);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Every readable executor checkpoint, plus the files that could not be read (with the reason).</summary>
    public (IReadOnlyList<ExecutorCheckpoint> Executors, IReadOnlyList<string> Errors) LoadExecutors()
    {
        var executors = new List<ExecutorCheckpoint>();
        var errors = new List<string>();
        if (!Directory.Exists(ExecutorsDir))
        {
            return (executors, errors);
        }

        foreach (var file in Directory.EnumerateFiles(ExecutorsDir, "executor.json", SearchOption.AllDirectories))
        {
            try
            {
                if (Read(file, CheckpointJson.Default.ExecutorCheckpoint) is { } executor)
                {
                    executors.Add(executor);
                }
            }
            catch (JsonException e)
            {
                errors.Add($"{file}: {e.Message}");
            }
        }

        return (executors, errors);
    }
}
