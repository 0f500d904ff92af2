namespace Minuet.TestSupport;

/// <summary>A fact that needs root and network namespaces; skipped with the reason when they are missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
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
