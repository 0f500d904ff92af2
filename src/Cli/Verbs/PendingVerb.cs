using System.CommandLine;

namespace Minuet.Cli.Verbs;

/// <summary>A verb whose issue has not landed: it exists so the interface is stable, and says so plainly.</summary>
internal sealed record PendingVerb(string Name, string Description, string Issue)
{
    /// <summary>Exit code for "this verb is not available yet" (distinct from usage errors, which are 1).</summary>
    public const int NotAvailableExitCode = 3;

    public Command Create()
    {
        var command = new Command(Name, $"{Description} (not yet available)");
        // Accept whatever arguments users already type, so the message below is what they see, not a parse error.
        command.TreatUnmatchedTokensAsErrors = false;
        var args = new Argument<string[]>("args") { Arity = ArgumentArity.ZeroOrMore, Hidden = true };
        command.Arguments.Add(args);
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Error.WriteLine(
                $"minuet {Name}: not yet available - it lands with {Issue}.");
            return NotAvailableExitCode;
        });
        return command;
    }
}
