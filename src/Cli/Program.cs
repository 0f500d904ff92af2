using Minuet.Cli;

return await MinuetCommand.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
