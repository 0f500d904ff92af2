using BenchmarkDotNet.Running;
using Minuet.Benchmarks.ControlPlane;

// `control [--master URL] [--agents N] [--tasks N]`: the control-plane scale run (bench/scripts/control.sh).
if (args.Length > 0 && args[0] == "control")
{
    return await ControlRun.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
