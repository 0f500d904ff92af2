namespace Minuet.TestSupport;

/// <summary>A fact that needs root (raw netlink, iptables); skipped with the reason when not root.</summary>
[AttributeUsage(AttributeTargets.Method)]
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
