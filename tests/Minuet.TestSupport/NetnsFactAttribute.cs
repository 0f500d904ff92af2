namespace Minuet.TestSupport;

/// <summary>A fact that needs root and network namespaces; skipped with the reason when they are missing (a failure when CI=true).</summary>
[AttributeUsage(AttributeTargets.Method)]
[Xunit.Sdk.XunitTestCaseDiscoverer("Minuet.TestSupport.PrivilegedFactDiscoverer", "Minuet.TestSupport")]
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute()
    {
        var reason = Privileges.NetnsUnavailableReason();
        if (reason is not null)
        {
            Skip = reason;
        }
    }
}
