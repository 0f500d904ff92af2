namespace Minuet.Cli.Cluster;

/// <summary>The platform members of the plan: the package service and Admin Router in front of everything.</summary>
internal static partial class ClusterPlan
{
    /// <summary>Admin Router last: it fronts every other part (they answer before it opens the door).</summary>
    private static ClusterMember AdminRouter(UpOptions options, string master, string marathon, string dnsApi)
    {
        string url = "http://" + UpEndpoints.ClientAddress(options.AdminRouterListen);
        return new ClusterMember(
            "admin-router",
            [
                "admin-router", "--listen", Format(options.AdminRouterListen), "--mesos", master, "--marathon", marathon,
                "--cosmos", "http://" + UpEndpoints.ClientAddress(options.PackagesListen), "--dns-api", dnsApi, "--metronome", "http://" + UpEndpoints.ClientAddress(options.JobsListen), "--auth", options.Auth ? "on" : "off",
                "--state-dir", Verbs.AdminRouterVerb.DirUnder(options.StateDir),
            ],
            new Uri(url + "/dcos-metadata/dcos-version.json"),
            $"admin router {url}   /mesos/, /marathon/, /package/, /mesos_dns/, /service/metronome/, /service/<name>/ "
            + (options.Auth ? "(auth on: `./minuet auth login` - the first login creates the first user)" : "(auth off)"),
            Tier: 5);
    }

    /// <summary>
    /// The package service, with the local Universe (the package folders shipped beside the binary) served at its
    /// <c>/repo</c> and listed first, as DC/OS's local universe on the masters.
    /// </summary>
    private static ClusterMember PackagesMember(UpOptions options, string master, string marathon)
    {
        string packages = $"http://{Format(options.PackagesListen)}";
        var args = new List<string>
        {
            "cosmos", "--listen", Format(options.PackagesListen), "--marathon", marathon, "--mesos", master,
            "--state-dir", Path.Combine(options.StateDir, "packages"),
        };
        string universe = Path.Combine(AppContext.BaseDirectory, "universe", "packages");
        if (Directory.Exists(universe))
        {
            args.AddRange(["--local-universe", universe]);
        }

        return new ClusterMember("packages", args, new Uri(packages + "/health"), $"packages    {packages}   /package/* (Cosmos API), local Universe {packages}/repo", Tier: 4);
    }

    /// <summary>The jobs service (Metronome's API, a Chronos shim), a framework on the master like the scheduler.</summary>
    private static ClusterMember JobsMember(UpOptions options, string master)
    {
        string jobs = "http://" + UpEndpoints.ClientAddress(options.JobsListen);
        string chronos = "http://" + UpEndpoints.ClientAddress(options.ChronosListen);
        return new ClusterMember(
            "jobs",
            ["jobs", "--listen", Format(options.JobsListen), "--chronos-listen", Format(options.ChronosListen), "--master", master, "--state-dir", Path.Combine(options.StateDir, "jobs"), "--hostname", "127.0.0.1"],
            new Uri(jobs + "/ping"),
            $"jobs        {jobs}   /v1/jobs (Metronome), Chronos {chronos}/v1/scheduler/*",
            Tier: 4);
    }
}
