using System.CommandLine;
using Minuet.Cli.Verbs;

namespace Minuet.Cli;

/// <summary>The root of the <c>minuet</c> command line: one subcommand per verb.</summary>
internal static class MinuetCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Minuet: service discovery for clusters - a Mesos-style master and agents, a Marathon-style " +
            "scheduler, and a data plane with Mesos-DNS-compatible DNS and Minuteman-style L4 VIPs.\n\n" +
            "Start here: `./minuet up` runs a whole cluster on this machine (run it " + UpVerb.AsRoot + " for DNS on :53 and VIPs);\n" +
            "then, in another shell, " +
            "`./minuet app add examples/hello.json`, `./minuet app list`, `./minuet task list`, `./minuet dns NAME`, `./minuet vips`.");

        // Listed in the order a newcomer needs them: the one-machine cluster and its clients first, then the
        // daemons it is made of.
        root.Subcommands.Add(UpVerb.Create());
        root.Subcommands.Add(AppVerb.Create());
        root.Subcommands.Add(TaskVerb.Create());
        root.Subcommands.Add(JobVerb.Create());
        root.Subcommands.Add(DnsVerb.Create());
        root.Subcommands.Add(VipsVerb.Create());
        root.Subcommands.Add(UiVerb.Create());
        root.Subcommands.Add(ImageVerb.Create());
        root.Subcommands.Add(AuthVerb.Create());
        root.Subcommands.Add(ConfigVerb.Create());
        root.Subcommands.Add(PackageVerb.Create());
        root.Subcommands.Add(MasterVerb.Create());
        root.Subcommands.Add(AgentVerb.Create());
        root.Subcommands.Add(SchedulerVerb.Create());
        root.Subcommands.Add(JobsVerb.Create());
        root.Subcommands.Add(DataplaneVerb.Create());
        root.Subcommands.Add(AdminRouterVerb.Create());
        root.Subcommands.Add(CosmosVerb.Create());
        root.Subcommands.Add(EdgeLbVerb.Create());
        root.Subcommands.Add(AutoscaleVerb.Create());
        root.Subcommands.Add(TestServerVerb.Create());
        root.Subcommands.Add(VersionVerb.Create());
        foreach (var verb in PendingVerbs.All)
        {
            root.Subcommands.Add(verb.Create());
        }

        Client.ClusterClient.AddUrlOptions(root, "--marathon");
        Client.ClusterClient.AddUrlOptions(root, "--metronome");
        return root;
    }

    /// <summary>
    /// How verbs are invoked. System.CommandLine's own SIGINT/SIGTERM handling is off: it gives an action two seconds
    /// after the signal, then returns 130/143 and the process ends mid-cleanup, which would cut <c>up</c> off while it
    /// still stops its children one by one (10 s grace each). Every long-running verb takes the signals itself
    /// (<see cref="StopSignals"/>) and stops when done; a short client verb is simply ended by them.
    /// </summary>
    public static InvocationConfiguration Invocation() => new() { ProcessTerminationTimeout = null };
}
