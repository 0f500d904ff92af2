namespace Minuet.Cli.Cluster;

/// <summary>Whether this build has the Marathon-style scheduler hosted by <c>minuet master --marathon-listen</c>.</summary>
internal static class SchedulerSupport
{
    public const bool Available = false;
}
