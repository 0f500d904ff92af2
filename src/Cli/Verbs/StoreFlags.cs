namespace Minuet.Cli.Verbs;

/// <summary><c>--store sqlite|etcd</c> with <c>--state-dir</c> or <c>--etcd-endpoints</c>, as the master and the scheduler take them.</summary>
internal static class StoreFlags
{
    /// <summary>The etcd endpoints (empty with sqlite); every problem is added to <paramref name="errors"/> naming its flag.</summary>
    public static IReadOnlyList<Uri> Parse(string? store, string? stateDir, string? etcdEndpoints, List<string> errors)
    {
        IReadOnlyList<Uri> endpoints = [];
        if (store == "etcd")
        {
            if (!Minuet.ControlPlane.Coordination.EtcdConnection.TryParseEndpoints("--etcd-endpoints", etcdEndpoints, out endpoints, out var etcdError))
            {
                errors.Add(etcdError!);
            }
        }
        else if (store != "sqlite")
        {
            errors.Add($"--store: '{store}' is not one of sqlite, etcd");
        }
        else if (string.IsNullOrWhiteSpace(stateDir))
        {
            errors.Add("--state-dir: a directory is required with --store sqlite");
        }

        return endpoints;
    }
}
