using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>What the runtime did with a launch: accepted, or why not (maps to 202 / 409 / 422).</summary>
internal sealed record LaunchOutcome(LaunchOutcomeKind Kind, IReadOnlyList<FieldError> Errors)
{
    public static LaunchOutcome Accepted { get; } = new(LaunchOutcomeKind.Accepted, []);

    public static LaunchOutcome Duplicate { get; } = new(LaunchOutcomeKind.Duplicate, []);
}

/// <summary>Launch outcomes.</summary>
internal enum LaunchOutcomeKind
{
    Accepted,
    Duplicate,
    Invalid,
    WrongAgent,
}

/// <summary>Kill outcomes (maps to 202 / 404).</summary>
internal enum KillOutcome
{
    Accepted,
    AlreadyTerminal,
    Unknown,
}
