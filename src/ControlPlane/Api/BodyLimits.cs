namespace Minuet.ControlPlane.Api;

/// <summary>
/// The largest request body each endpoint reads; a larger one is answered 413 <c>payload_too_large</c> naming the
/// limit before it is parsed, so no request can make the master or an agent hold more than this. Sized well above
/// what the fields inside may hold (see <see cref="Protocol.TaskFieldLimits"/>).
/// </summary>
internal static class BodyLimits
{
    private const long MiB = 1024 * 1024;

    /// <summary>Scheduler API calls: an accept carries many tasks, each at most ~1.6 MiB of fields.</summary>
    public const long SchedulerCall = 16 * MiB;

    public const long Subscribe = 64 * 1024;

    /// <summary>An agent's registration lists every task it runs (launch and latest status).</summary>
    public const long AgentRegistration = 64 * MiB;

    /// <summary>A heartbeat lists every live task's id and state.</summary>
    public const long AgentHeartbeat = 16 * MiB;

    public const long StatusUpdate = 1 * MiB;

    /// <summary>A launch sent to an agent: one task.</summary>
    public const long Launch = 4 * MiB;

    /// <summary>Operator calls (reserve, unreserve, roles) and kills.</summary>
    public const long Small = 1 * MiB;

    public static string Describe(long bytes) => bytes % MiB == 0 ? $"{bytes} bytes ({bytes / MiB} MiB)" : $"{bytes} bytes ({bytes / 1024} KiB)";
}
