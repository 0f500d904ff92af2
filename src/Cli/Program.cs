using Minuet.Cli;

return await MinuetCommand.Build().Parse(args).InvokeAsync(MinuetCommand.Invocation()).ConfigureAwait(false);
