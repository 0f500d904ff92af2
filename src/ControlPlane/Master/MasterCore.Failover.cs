namespace Minuet.ControlPlane.Master;

/// <summary>
/// Framework failover (Mesos <c>FrameworkInfo.failover_timeout</c>): a framework that stays disconnected longer than
/// its timeout is removed as by TEARDOWN (tasks killed, later subscriptions refused); one that returns in time
/// keeps everything.
/// </summary>
internal sealed partial class MasterCore
{
    /// <summary>True for a framework torn down (by itself, an operator or its failover timeout) since this master started.</summary>
    public bool IsRemovedFramework(string frameworkId)
    {
        using (Mutate())
        {
            return _frameworks.WasTornDown(frameworkId);
        }
    }

    /// <summary>
    /// Removes frameworks whose failover timeout ran out. The clock starts when the subscription ends, or at master
    /// start for frameworks recovered from the store. Frameworks the master only adopted from an agent's report
    /// (never subscribed here, no timeout known) are kept: nothing says their scheduler has given up.
    /// </summary>
    private void TeardownExpiredFrameworks(DateTimeOffset now)
    {
        List<(string Id, double Seconds)> expired;
        using (Mutate())
        {
            expired = [];
            foreach (var framework in _frameworks.Values)
            {
                if (framework.Connected || (framework.DisconnectedAt is null && framework.FailoverTimeoutSeconds <= 0))
                {
                    continue;
                }

                var since = framework.DisconnectedAt ?? StartTime;
                var timeout = TimeSpan.FromSeconds(Math.Min(Math.Max(0, framework.FailoverTimeoutSeconds), TimeSpan.MaxValue.TotalSeconds / 2));
                if (now - since >= timeout)
                {
                    expired.Add((framework.Id, framework.FailoverTimeoutSeconds));
                }
            }
        }

        foreach (var (id, seconds) in expired)
        {
            Log.FrameworkFailoverExpired(_log, id, seconds);
            Teardown(id);
        }
    }

    /// <summary>Sends one event to the framework's current subscription, if it has one (answers the master makes itself).</summary>
    public void SendToFramework(string frameworkId, SchedulerEvent e)
    {
        using (Mutate())
        {
            if (_frameworks.TryGetValue(frameworkId, out var framework))
            {
                framework.Connection?.Send(e);
            }
        }
    }
}
