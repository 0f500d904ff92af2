namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// The next instance count of the new copy in a blue/green deploy (marathon-lb's <c>zdd.py</c>
/// <c>scale_new_app_instances</c>): grow by half (<c>floor(n + (n+1)/2)</c>), or by a fixed step; once that reaches the
/// old copy's count, jump to the target; a hybrid deploy (<c>HAPROXY_DEPLOYMENT_NEW_INSTANCES</c>) stops at its count.
/// </summary>
internal static class ZddScaling
{
    public static int NextNewInstances(int newInstances, int oldInstances, int target, int? hybridNewInstances = null, int linearIncrease = 0)
    {
        bool linear = linearIncrease > 0;
        int next = linear ? newInstances + linearIncrease : (int)Math.Floor(newInstances + ((newInstances + 1) / 2.0));
        if (hybridNewInstances is { } hybrid)
        {
            return Math.Min(next, hybrid);
        }

        if (linear)
        {
            return Math.Min(next, target);
        }

        return next >= oldInstances ? target : next;
    }
}
