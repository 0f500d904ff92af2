using Minuet.ControlPlane.Agent.Cgroups;
using Minuet.TestSupport;

namespace Minuet.ControlPlane.Tests.Agent;

/// <summary>
/// A fact that needs root and a writable cgroup v1 cpu and memory hierarchy at /sys/fs/cgroup. Without root it is
/// skipped (a failure when CI=true, like <see cref="RootFactAttribute"/>); on a machine without cgroup v1 (a cgroup
/// v2 host) it is skipped with that reason everywhere, since no privilege would let it run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[Xunit.Sdk.XunitTestCaseDiscoverer("Minuet.TestSupport.PrivilegedFactDiscoverer", "Minuet.TestSupport")]
public sealed class CgroupV1FactAttribute : FactAttribute, ICiSkippable
{
    public CgroupV1FactAttribute()
    {
        if (!Privileges.IsRoot)
        {
            Skip = "needs root to create cgroups (run ./test.sh as root; CI does)";
            return;
        }

        var probe = new CgroupV1("/sys/fs/cgroup", "minuet-test");
        if (!probe.CpuAvailable || !probe.MemoryAvailable)
        {
            Skip = $"needs a writable cgroup v1 cpu and memory hierarchy: {probe.UnavailableReason}";
            SkipAllowedInCi = true;
        }
    }

    public bool SkipAllowedInCi { get; }
}
