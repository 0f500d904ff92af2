namespace Minuet.ControlPlane.Scheduler.Launching;

/// <summary>
/// Why an offer did not fit an app, with Marathon's names (its NoOfferMatchReason), in the order Marathon's
/// rejectSummary funnels them: an offer counts as declined at the first of these it fails.
/// </summary>
internal static class OfferReasons
{
    public const string UnfulfilledRole = "UnfulfilledRole";
    public const string UnfulfilledConstraint = "UnfulfilledConstraint";
    public const string NoCorrespondingReservationFound = "NoCorrespondingReservationFound";
    public const string AgentMaintenance = "AgentMaintenance";
    public const string InsufficientCpus = "InsufficientCpus";
    public const string InsufficientMemory = "InsufficientMemory";
    public const string InsufficientDisk = "InsufficientDisk";
    public const string InsufficientGpus = "InsufficientGpus";
    public const string InsufficientPorts = "InsufficientPorts";
    public const string DeclinedScarceResources = "DeclinedScarceResources";

    public static readonly string[] Funnel =
    [
        UnfulfilledRole, UnfulfilledConstraint, NoCorrespondingReservationFound, AgentMaintenance, InsufficientCpus,
        InsufficientMemory, InsufficientDisk, InsufficientGpus, InsufficientPorts, DeclinedScarceResources,
    ];
}
