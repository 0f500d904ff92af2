using System.Diagnostics;

namespace Minuet.Cli.Cluster;

/// <summary>How to start this same <c>minuet</c> binary again: the apphost directly, or <c>dotnet minuet.dll</c>.</summary>
internal static class SelfCommand
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        string process = Environment.ProcessPath ?? "dotnet";
        var psi = new ProcessStartInfo(process) { UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.Ordinal))
        {
            psi.ArgumentList.Add(typeof(SelfCommand).Assembly.Location);
        }

        foreach (string argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        return psi;
    }
}
