using Minuet.Cli;
using Minuet.Cli.Verbs;

// Before anything can start the runtime's signal handling (the console, a child process): the runtime records the
// dispositions it finds then, and never takes a signal it found ignored, so a later reset would come too late
// (seen: `up` started as a script's background job died on SIGINT without stopping its parts).
SignalDefaults.Restore();
return await MinuetCommand.Build().Parse(args).InvokeAsync(MinuetCommand.Invocation()).ConfigureAwait(false);
