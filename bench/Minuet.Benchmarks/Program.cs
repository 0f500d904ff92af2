using BenchmarkDotNet.Running;
using Minuet.Benchmarks.ControlPlane;
using Minuet.Benchmarks.L4lb;

// `l4load ...` is the end-to-end connection/transfer driver bench/scripts/l4lb.sh runs inside namespaces;
// everything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == L4Load.Verb)
{
    return await L4Load.RunAsync(args[1..]).ConfigureAwait(false);
}

// dns-* verbs are helpers for bench/scripts/dns.sh (fixtures and a standalone DNS host), not benchmarks.
if (args.Length > 0 && args[0].StartsWith("dns-", StringComparison.Ordinal))
{
    return await Minuet.Benchmarks.Dns.Tool.DnsBenchTool.RunAsync(args);
}

// `control [--master URL] [--agents N] [--tasks N]`: the control-plane scale run (bench/scripts/control.sh).
if (args.Length > 0 && args[0] == "control")
{
    return await ControlRun.RunAsync(args[1..]).ConfigureAwait(false);
}

// `store-writes [--etcd-endpoints URLS] [--updates N]`: store write throughput, SQLite against etcd (bench/scripts/control.sh).
if (args.Length > 0 && args[0] == Minuet.Benchmarks.ControlPlane.StoreWriteRun.Verb)
{
    return await Minuet.Benchmarks.ControlPlane.StoreWriteRun.RunAsync(args[1..]).ConfigureAwait(false);
}

// `propagation --marathon URL --dataplane URL ...`: push latency and bulk deploy (bench/scripts/propagation.sh).
if (args.Length > 0 && args[0] == "propagation")
{
    return await PropagationRun.RunAsync(args[1..]).ConfigureAwait(false);
}

// `scale-memory [TASKS]`: the memory and per-change figures at 100,000 tasks (./run-bench.sh scale).
if (args.Length > 0 && args[0] == Minuet.Benchmarks.Sources.ScaleMemoryProbe.Verb)
{
    return Minuet.Benchmarks.Sources.ScaleMemoryProbe.Run(args[1..]);
}

// `jobs [--jobs N] [--minutes M] [--store memory]`: scheduled-job launch lateness (./run-bench.sh jobs).
if (args.Length > 0 && args[0] == Minuet.Benchmarks.Jobs.JobsLatenessRun.Verb)
{
    return Minuet.Benchmarks.Jobs.JobsLatenessRun.Run(args[1..]);
}

// `edge-config [APPS]`: edge balancer configuration generation time (./run-bench.sh edge).
if (args.Length > 0 && args[0] == Minuet.Benchmarks.EdgeLb.EdgeConfigRun.Verb)
{
    return Minuet.Benchmarks.EdgeLb.EdgeConfigRun.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
