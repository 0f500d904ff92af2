namespace Minuet.DataPlane.L4lb.Kernel;

/// <summary>
/// Puts <see cref="IptablesRules"/> into the kernel and takes them out: <c>iptables-restore --noflush</c>
/// replaces Minuet's chains in one transaction, then each built-in chain gets its jump if <c>-C</c> says it is
/// missing. Install is idempotent, so the periodic reconcile simply runs it again. With
/// <paramref name="networkNamespace"/> the tools run through <c>ip netns exec</c> (tests); the daemon itself is
/// started inside its namespace and passes null.
/// </summary>
internal sealed class IptablesInstaller(IptablesRules rules, string? networkNamespace = null)
{
    public IptablesRules Rules { get; } = rules;

    public async Task<ToolResult> InstallAsync(CancellationToken cancellationToken)
    {
        var restored = await Tool("iptables-restore", ["-w", "--noflush"], Rules.RestoreText(), cancellationToken).ConfigureAwait(false);
        if (!restored.IsSuccess)
        {
            return restored;
        }

        foreach (var (table, builtIn) in IptablesRules.Jumps)
        {
            var check = await Iptables(["-t", table, "-C", builtIn, "-j", IptablesRules.Chain], cancellationToken).ConfigureAwait(false);
            if (check.IsSuccess)
            {
                continue;
            }

            var inserted = await Iptables(["-t", table, "-I", builtIn, "1", "-j", IptablesRules.Chain], cancellationToken).ConfigureAwait(false);
            if (!inserted.IsSuccess)
            {
                return inserted;
            }
        }

        return restored;
    }

    /// <summary>True when every jump is in place (the chains' contents are rewritten by each install anyway).</summary>
    public async Task<bool> JumpsPresentAsync(CancellationToken cancellationToken)
    {
        foreach (var (table, builtIn) in IptablesRules.Jumps)
        {
            if (!(await Iptables(["-t", table, "-C", builtIn, "-j", IptablesRules.Chain], cancellationToken).ConfigureAwait(false)).IsSuccess)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Removes the jumps (every copy) and Minuet's chains; returns the failures, empty when clean.</summary>
    public async Task<IReadOnlyList<ToolResult>> RemoveAsync(CancellationToken cancellationToken)
    {
        var failures = new List<ToolResult>();
        foreach (var (table, builtIn) in IptablesRules.Jumps)
        {
            // Bounded: a jump inserted twice by an older run is removed too.
            for (int i = 0; i < 8; i++)
            {
                if (!(await Iptables(["-t", table, "-D", builtIn, "-j", IptablesRules.Chain], cancellationToken).ConfigureAwait(false)).IsSuccess)
                {
                    break;
                }
            }
        }

        foreach (var table in IptablesRules.Jumps.Select(j => j.Table).Distinct())
        {
            await Iptables(["-t", table, "-F", IptablesRules.Chain], cancellationToken).ConfigureAwait(false);
            var deleted = await Iptables(["-t", table, "-X", IptablesRules.Chain], cancellationToken).ConfigureAwait(false);
            if (!deleted.IsSuccess && !deleted.Output.Contains("No chain", StringComparison.OrdinalIgnoreCase) &&
                !deleted.Output.Contains("does not exist", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add(deleted);
            }
        }

        return failures;
    }

    /// <summary>This namespace's IPv4 addresses (<c>ip -4 -o addr show</c>), for <see cref="HairpinSnat"/>.</summary>
    public Task<ToolResult> LocalAddressesAsync(CancellationToken cancellationToken) =>
        Tool("ip", ["-4", "-o", "addr", "show"], null, cancellationToken);

    private Task<ToolResult> Iptables(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        Tool("iptables", ["-w", .. arguments], null, cancellationToken);

    private Task<ToolResult> Tool(string file, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken) =>
        networkNamespace is null
            ? ToolRunner.RunAsync(file, arguments, input, cancellationToken)
            : ToolRunner.RunAsync("ip", ["netns", "exec", networkNamespace, file, .. arguments], input, cancellationToken);
}
