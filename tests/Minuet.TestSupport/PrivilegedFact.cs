namespace Minuet.TestSupport;

/// <summary>What a root or netns fact does when its privileges are missing.</summary>
public enum PrivilegedFactOutcome
{
    /// <summary>Everything the test needs is here: run it.</summary>
    Run,

    /// <summary>Missing privileges on a developer machine: skip with the reason.</summary>
    Skip,

    /// <summary>Missing privileges under <c>CI=true</c>: CI runs as root, so a skip would hide a broken setup; fail.</summary>
    Fail,
}

/// <summary>The one rule shared by <see cref="RootFactAttribute"/> and <see cref="NetnsFactAttribute"/>.</summary>
public static class PrivilegedFact
{
    public static bool IsCi(string? ciVariable) =>
        string.Equals(ciVariable?.Trim(), "true", StringComparison.OrdinalIgnoreCase) || ciVariable?.Trim() == "1";

    public static bool IsCi() => IsCi(Environment.GetEnvironmentVariable("CI"));

    public static PrivilegedFactOutcome Decide(string? unavailableReason, bool ci) =>
        unavailableReason is null ? PrivilegedFactOutcome.Run
        : ci ? PrivilegedFactOutcome.Fail
        : PrivilegedFactOutcome.Skip;

    public static string FailureMessage(string unavailableReason) =>
        $"CI=true, so this privileged test may not skip: {unavailableReason}";
}

/// <summary>Implemented by the privileged fact attributes so the discoverer can ask why they cannot run.</summary>
public interface IPrivilegedFact
{
    string? UnavailableReason { get; }
}
