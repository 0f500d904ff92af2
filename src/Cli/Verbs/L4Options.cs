using System.CommandLine;
using Minuet.DataPlane.L4lb;
using Minuet.DataPlane.L4lb.Selection;

namespace Minuet.Cli.Verbs;

/// <summary>The L4 balancer's options of <c>minuet dataplane</c> (validated by <see cref="L4lbOptionsParser"/>).</summary>
internal sealed class L4Options
{
    private readonly Option<string?> _vipRange = new("--vip-range") { Description = "Block named VIPs get addresses from (default 11.0.0.0/8)." };
    private readonly Option<string?> _queueBalance = new("--queue-balance") { Description = "NFQUEUE numbers A:B, one worker each, or one number (default 50 up, one per core)." };
    private readonly Option<string?> _policy = new("--policy") { Description = $"Backend choice: {string.Join(", ", BackendPolicies.Names)} (default {BackendPolicies.Default})." };
    private readonly Option<bool> _failOpen = new("--fail-open") { Description = "Let SYNs pass un-NATed (--queue-bypass) when no balancer reads the queue; while one reads, a TCP VIP without backends is still refused at once." };
    private readonly Option<bool> _noRealTime = new("--no-realtime-workers") { Description = "Run NFQUEUE workers at normal priority instead of SCHED_FIFO 1 (real time halves connect latency on a busy host; a SYN flood can then take up to the kernel's real-time share of the cores)." };
    private readonly Option<string?> _connectTimeout = new("--connect-timeout-ms") { Description = "No reply within this many ms counts as a backend failure (default 400)." };
    private readonly Option<string?> _failureThreshold = new("--failure-threshold") { Description = "Consecutive failures that bench a backend (default 5)." };
    private readonly Option<string?> _benchSeconds = new("--bench-seconds") { Description = "How long a benched backend gets no new connections (default 30)." };
    private readonly Option<string?> _ipset = new("--ipset") { Description = "Name of the ipset of VIPs (default minuet-vips)." };
    private readonly Option<string?> _reconcile = new("--reconcile-seconds") { Description = "Full repair of the ipset and rules every so many seconds (default 30)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _vipRange, _queueBalance, _policy, _failOpen, _noRealTime, _connectTimeout, _failureThreshold, _benchSeconds, _ipset, _reconcile })
        {
            command.Options.Add(option);
        }
    }

    public L4lbArguments Read(ParseResult parse) => new()
    {
        VipRange = parse.GetValue(_vipRange),
        QueueBalance = parse.GetValue(_queueBalance),
        Policy = parse.GetValue(_policy),
        FailOpen = parse.GetValue(_failOpen),
        RealTimeQueueWorkers = !parse.GetValue(_noRealTime),
        ConnectTimeoutMs = parse.GetValue(_connectTimeout),
        FailureThreshold = parse.GetValue(_failureThreshold),
        BenchSeconds = parse.GetValue(_benchSeconds),
        IpsetName = parse.GetValue(_ipset),
        ReconcileSeconds = parse.GetValue(_reconcile),
    };
}
