namespace Minuet.Native.Iptables;

/// <summary>One rule as iptables-save prints it: table, chain, and the match/target arguments after `-A CHAIN`.</summary>
public sealed record IptablesRule(string Table, string Chain, string Specification)
{
    public override string ToString() => $"-t {Table} -A {Chain} {Specification}";
}
