using System.CommandLine;
using System.Reflection;

namespace Minuet.Cli.Verbs;

/// <summary><c>minuet version</c>: the product version and the runtime it runs on.</summary>
internal static class VersionVerb
{
    public static Command Create()
    {
        var command = new Command("version", "Print the Minuet version.");
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine(
                $"minuet {ProductVersion} (.NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier})");
            return 0;
        });
        return command;
    }

    /// <summary>The informational version without the source-revision suffix the SDK appends.</summary>
    public static string ProductVersion
    {
        get
        {
            var info = typeof(VersionVerb).Assembly
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            int plus = info.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? info : info[..plus];
        }
    }
}
