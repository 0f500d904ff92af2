namespace Minuet.ControlPlane.Scheduler.Deployments;

/// <summary>One action of a deployment step (Marathon names: StartApplication, StopApplication, ScaleApplication, RestartApplication).</summary>
internal sealed record DeploymentAction(string Action, string App);

/// <summary>
/// A deployment: the apps a change touched, its steps in dependency order, and the definitions before the change
/// (null = the app did not exist) so that DELETE can roll it back.
/// </summary>
internal sealed record DeploymentPlan
{
    public required string Id { get; init; }

    public required DateTimeOffset Version { get; init; }

    public required IReadOnlyList<string> AffectedApps { get; init; }

    public required IReadOnlyList<IReadOnlyList<DeploymentAction>> Steps { get; init; }

    /// <summary>0-based index of the step in progress.</summary>
    public int CurrentStep { get; set; }

    /// <summary>App id → its JSON before this deployment, or null when it was created by it.</summary>
    public required IReadOnlyDictionary<string, string?> Original { get; init; }

    /// <summary>Step index of an app (later steps wait for earlier ones); -1 if the app is not in the plan.</summary>
    public int StepOf(string appId)
    {
        for (int i = 0; i < Steps.Count; i++)
        {
            if (Steps[i].Any(a => a.App == appId))
            {
                return i;
            }
        }

        return -1;
    }
}
