namespace Minuet.DataPlane.L4lb.Selection;

/// <summary>
/// The policies by name (<c>--policy</c>). The default is <see cref="PowerOfTwoChoicesPolicy"/>, Minuteman's.
/// Unknown names are rejected when options are validated, listing the known ones.
/// </summary>
internal static class BackendPolicies
{
    public const string Default = PowerOfTwoChoicesPolicy.PolicyName;

    public static IReadOnlyList<string> Names { get; } =
        [PowerOfTwoChoicesPolicy.PolicyName, RoundRobinPolicy.PolicyName, RandomPolicy.PolicyName, MaglevPolicy.PolicyName];

    public static bool IsKnown(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>Creates the named policy, or returns null with a reason naming the known policies.</summary>
    public static IBackendPolicy? Create(string name, Random random, TimeProvider time, out string? reason)
    {
        reason = null;
        switch (name)
        {
            case PowerOfTwoChoicesPolicy.PolicyName:
                return new PowerOfTwoChoicesPolicy(random, time);
            case RoundRobinPolicy.PolicyName:
                return new RoundRobinPolicy(time);
            case RandomPolicy.PolicyName:
                return new RandomPolicy(random, time);
            case MaglevPolicy.PolicyName:
                return new MaglevPolicy(time);
            default:
                reason = $"unknown policy '{name}'; known: {string.Join(", ", Names)}";
                return null;
        }
    }
}
