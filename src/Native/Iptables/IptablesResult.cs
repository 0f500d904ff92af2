namespace Minuet.Native.Iptables;

/// <summary>The outcome of one iptables tool run as a value: the operation, its exit code and what it printed on stderr.</summary>
public readonly record struct IptablesResult(string Operation, int ExitCode, string Error)
{
    public bool IsSuccess => ExitCode == 0;

    public static IptablesResult Success(string operation) => new(operation, 0, string.Empty);

    public override string ToString() => IsSuccess ? $"{Operation}: ok" : $"{Operation}: exit {ExitCode}: {Error.Trim()}";
}
