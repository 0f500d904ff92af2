using BenchmarkDotNet.Running;

// dns-* verbs are helpers for bench/scripts/dns.sh (fixtures and a standalone DNS host), not benchmarks.
if (args.Length > 0 && args[0].StartsWith("dns-", StringComparison.Ordinal))
{
    return await Minuet.Benchmarks.Dns.Tool.DnsBenchTool.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
