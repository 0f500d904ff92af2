namespace Minuet.TestSupport;

/// <summary>A fact that needs root (raw netlink, iptables); skipped with the reason when not root (a failure when CI=true).</summary>
[AttributeUsage(AttributeTargets.Method)]
[Xunit.Sdk.XunitTestCaseDiscoverer("Minuet.TestSupport.PrivilegedFactDiscoverer", "Minuet.TestSupport")]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Privileges.IsRoot)
        {
            Skip = "needs root (run ./test.sh as root; CI does)";
        }
    }
}
