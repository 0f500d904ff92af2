using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.Deployments;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>
/// The outcome of a change through the API: the deployment it started (and whether it created the app), or a
/// refusal: 404, 409 (with the conflicting deployments) or 422 (with every field error).
/// </summary>
internal sealed record ChangeResult
{
    public int Status { get; init; } = 200;

    public string? Message { get; init; }

    public IReadOnlyList<FieldError>? Details { get; init; }

    public DeploymentPlan? Deployment { get; init; }

    public IReadOnlyList<DeploymentPlan> Conflicts { get; init; } = [];

    public bool Created { get; init; }

    public bool IsSuccess => Status is >= 200 and < 300;

    public static ChangeResult NotFound(string message) => new() { Status = 404, Message = message };

    public static ChangeResult Invalid(IReadOnlyList<FieldError> details) => new() { Status = 422, Message = "Object is not valid", Details = details };
}
