using Xunit.Sdk;

namespace Minuet.TestSupport;

/// <summary>
/// A fact that starts real etcd members (Debian <c>etcd-server</c>): skipped with the reason when the <c>etcd</c>
/// binary is not on PATH, except under <c>CI=true</c> (test.sh installs it), where it fails instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer(PrivilegedFactDiscoverer.TypeName, PrivilegedFactDiscoverer.AssemblyName)]
public sealed class EtcdFactAttribute : FactAttribute, IPrivilegedFact
{
    public EtcdFactAttribute()
    {
        UnavailableReason = EtcdBinary.Path is null ? "etcd is not installed (apt-get install etcd-server)" : null;
        if (PrivilegedFact.Decide(UnavailableReason, PrivilegedFact.IsCi()) == PrivilegedFactOutcome.Skip)
        {
            Skip = UnavailableReason;
        }
    }

    public string? UnavailableReason { get; }
}

/// <summary>Where the <c>etcd</c> binary is, if anywhere on PATH.</summary>
public static class EtcdBinary
{
    public static string? Path { get; } = Find();

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(dir, "etcd");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
