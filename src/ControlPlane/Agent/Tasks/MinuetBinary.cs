namespace Minuet.ControlPlane.Agent.Tasks;

/// <summary>
/// Where this agent's own <c>minuet</c> executable is, handed to command tasks as <c>MINUET_BIN</c> so a task can run a
/// Minuet component (the <c>marathon-lb</c> package runs <c>"$MINUET_BIN" edge-lb ...</c>) with exactly the agent's
/// build, as a DC/OS agent's tasks find the DC/OS binaries in the agent's install directory. Docker tasks do not get
/// it: the host path means nothing inside the container.
/// </summary>
internal static class MinuetBinary
{
    public const string EnvironmentName = "MINUET_BIN";

    /// <summary>The apphost beside the running assembly, else the running process if it is <c>minuet</c>; null when neither.</summary>
    public static string? Find()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "minuet");
        if (File.Exists(beside))
        {
            return beside;
        }

        string? process = Environment.ProcessPath;
        return process is not null && string.Equals(Path.GetFileName(process), "minuet", StringComparison.Ordinal) ? process : null;
    }
}
