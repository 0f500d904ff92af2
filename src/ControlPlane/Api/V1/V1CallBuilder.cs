using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Api.V1;

/// <summary>The master's call records as Mesos v1 scheduler calls (what the Minuet scheduler sends over HTTP).</summary>
internal static class V1CallBuilder
{
    /// <summary>
    /// SUBSCRIBE. The scheduler handles every task state Mesos has (unreachable, gone, unknown ...), so it says it
    /// is PARTITION_AWARE and gets them as they are instead of TASK_LOST.
    /// </summary>
    public static V1Call Subscribe(SubscribeRequest request)
    {
        var id = request.FrameworkId is { } known ? new V1Id(known) : null;
        return new V1Call
        {
            Type = "SUBSCRIBE",
            FrameworkId = id,
            Subscribe = new V1Subscribe
            {
                FrameworkInfo = new V1FrameworkInfo
                {
                    User = request.User,
                    Name = request.Name,
                    Id = id,
                    FailoverTimeout = request.FailoverTimeout,
                    Checkpoint = request.Checkpoint,
                    Role = request.Role,
                    Hostname = request.Hostname,
                    Principal = request.Principal,
                    WebuiUrl = request.WebuiUrl,
                    Capabilities = [new V1Capability("PARTITION_AWARE")],
                },
            },
        };
    }

    public static V1Call Accept(string frameworkId, AcceptRequest request, string agentId) => new()
    {
        Type = "ACCEPT",
        FrameworkId = new V1Id(frameworkId),
        Accept = new V1Accept
        {
            OfferIds = request.OfferIds.Select(id => new V1Id(id)).ToList(),
            Operations = request.Tasks.Count == 0 ? [] : [new V1Operation { Type = "LAUNCH", Launch = new V1Launch(request.Tasks.Select(t => V1Tasks.ToV1(t, agentId)).ToList()) }],
            Filters = Filters(request.Filters),
        },
    };

    public static V1Call Decline(string frameworkId, DeclineRequest request) => new()
    {
        Type = "DECLINE",
        FrameworkId = new V1Id(frameworkId),
        Decline = new V1Decline { OfferIds = request.OfferIds.Select(id => new V1Id(id)).ToList(), Filters = Filters(request.Filters) },
    };

    public static V1Call Kill(string frameworkId, KillRequest request) => new()
    {
        Type = "KILL",
        FrameworkId = new V1Id(frameworkId),
        Kill = new V1Kill
        {
            TaskId = new V1Id(request.TaskId),
            KillPolicy = request.GracePeriodSeconds is { } grace ? new V1KillPolicy(new V1Duration((long)(grace * 1e9))) : null,
        },
    };

    /// <summary>ACKNOWLEDGE; Mesos requires the agent id, which updates from the master itself may lack (sent empty).</summary>
    public static V1Call Acknowledge(string frameworkId, AcknowledgeRequest request) => new()
    {
        Type = "ACKNOWLEDGE",
        FrameworkId = new V1Id(frameworkId),
        Acknowledge = new V1Acknowledge
        {
            AgentId = new V1Id(request.AgentId ?? string.Empty),
            TaskId = new V1Id(request.TaskId),
            Uuid = V1Statuses.ToV1Uuid(request.Uuid) ?? request.Uuid,
        },
    };

    public static V1Call Reconcile(string frameworkId, ReconcileRequest request) => new()
    {
        Type = "RECONCILE",
        FrameworkId = new V1Id(frameworkId),
        Reconcile = new V1Reconcile(request.Tasks.Select(t => new V1ReconcileTask
        {
            TaskId = new V1Id(t.TaskId),
            AgentId = t.AgentId is null ? null : new V1Id(t.AgentId),
        }).ToList()),
    };

    private static V1Filters? Filters(OfferFilters? filters) => filters is null ? null : new V1Filters(filters.RefuseSeconds);
}
