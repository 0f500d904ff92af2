using System.Diagnostics;

namespace Minuet.Native.Iptables;

/// <summary>
/// Installs, checks and removes iptables rules by running the iptables tools (no .NET iptables library exists):
/// `iptables-restore --noflush` for atomic installs, `iptables -C` to check, `iptables -D` to delete, and
/// `iptables-save` to read. Holds no policy: the caller decides the rules. With a namespace name, every command
/// runs through `ip netns exec NAME` (tests; tools in other namespaces).
/// </summary>
internal sealed class IptablesRestore
{
    private readonly string? _networkNamespace;
    private readonly TimeSpan _timeout;

    public IptablesRestore(string? networkNamespace = null, TimeSpan? timeout = null)
    {
        _networkNamespace = networkNamespace;
        _timeout = timeout ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>Applies a rules text atomically per table without flushing what is already there.</summary>
    public Task<IptablesResult> ApplyAsync(string rulesText, CancellationToken cancellationToken = default) =>
        RunAsync("iptables-restore", ["--noflush", "--wait"], rulesText, "iptables-restore", cancellationToken);

    /// <summary>True when the rule exists (`iptables -C`): exit 1 means absent, anything else is an error value.</summary>
    public async Task<(IptablesResult Result, bool Exists)> ExistsAsync(IptablesRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var result = await RunAsync("iptables", RuleArguments("-C", rule), null, "iptables check", cancellationToken).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => (result, true),
            1 => (IptablesResult.Success("iptables check"), false),
            _ => (result, false),
        };
    }

    /// <summary>Deletes every copy of the rule (bounded); absent is success.</summary>
    public async Task<IptablesResult> DeleteAsync(IptablesRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        for (int i = 0; i < 64; i++)
        {
            var (check, exists) = await ExistsAsync(rule, cancellationToken).ConfigureAwait(false);
            if (!check.IsSuccess)
            {
                return check;
            }

            if (!exists)
            {
                return IptablesResult.Success("iptables delete");
            }

            var deleted = await RunAsync("iptables", RuleArguments("-D", rule), null, "iptables delete", cancellationToken).ConfigureAwait(false);
            if (!deleted.IsSuccess)
            {
                return deleted;
            }
        }

        return new IptablesResult("iptables delete", -1, "rule still present after 64 deletions");
    }

    /// <summary>
    /// Removes what <paramref name="rulesText"/> installed: each of its rules, then its user-defined chains
    /// (flushed and deleted). Continues past failures and returns the first one.
    /// </summary>
    public async Task<IptablesResult> RemoveAsync(string rulesText, CancellationToken cancellationToken = default)
    {
        IptablesResult? firstFailure = null;
        foreach (var rule in IptablesRulesText.ParseRules(rulesText))
        {
            var deleted = await DeleteAsync(rule, cancellationToken).ConfigureAwait(false);
            firstFailure ??= deleted.IsSuccess ? null : deleted;
        }

        foreach (var (table, chain) in IptablesRulesText.ParseUserChains(rulesText))
        {
            var flushed = await RunAsync("iptables", ["--wait", "-t", table, "-F", chain], null, "iptables flush chain", cancellationToken).ConfigureAwait(false);
            var removed = await RunAsync("iptables", ["--wait", "-t", table, "-X", chain], null, "iptables delete chain", cancellationToken).ConfigureAwait(false);

            // A chain that is already gone is what we wanted.
            bool gone = removed.IsSuccess || removed.Error.Contains("No chain", StringComparison.OrdinalIgnoreCase)
                || removed.Error.Contains("does not exist", StringComparison.OrdinalIgnoreCase);
            firstFailure ??= gone ? null : (flushed.IsSuccess ? removed : flushed);
        }

        return firstFailure ?? IptablesResult.Success("iptables remove");
    }

    /// <summary>The rules of one table as iptables-save prints them.</summary>
    public async Task<(IptablesResult Result, IReadOnlyList<IptablesRule> Rules)> ListAsync(string table, CancellationToken cancellationToken = default)
    {
        var (result, output) = await RunWithOutputAsync("iptables-save", ["-t", table], null, "iptables-save", cancellationToken).ConfigureAwait(false);
        return (result, result.IsSuccess ? IptablesRulesText.ParseRules(output) : []);
    }

    private static List<string> RuleArguments(string action, IptablesRule rule)
    {
        var arguments = new List<string> { "--wait", "-t", rule.Table, action, rule.Chain };
        arguments.AddRange(IptablesRulesText.Tokenize(rule.Specification));
        return arguments;
    }

    private async Task<IptablesResult> RunAsync(string tool, IEnumerable<string> arguments, string? input, string operation, CancellationToken cancellationToken) =>
        (await RunWithOutputAsync(tool, arguments, input, operation, cancellationToken).ConfigureAwait(false)).Result;

    private async Task<(IptablesResult Result, string Output)> RunWithOutputAsync(string tool, IEnumerable<string> arguments, string? input, string operation, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (_networkNamespace is null)
        {
            start.FileName = tool;
        }
        else
        {
            start.FileName = "ip";
            start.ArgumentList.Add("netns");
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(_networkNamespace);
            start.ArgumentList.Add(tool);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException(tool);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return (new IptablesResult(operation, 127, $"cannot start {tool}: {e.Message}"), string.Empty);
        }

        using (process)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(_timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                if (input is not null)
                {
                    await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token).ConfigureAwait(false);
                }

                process.StandardInput.Close();
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                string output = await stdout.ConfigureAwait(false);
                string error = await stderr.ConfigureAwait(false);
                return (new IptablesResult(operation, process.ExitCode, error), output);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return (new IptablesResult(operation, -1, $"{tool} timed out after {_timeout.TotalSeconds:0} s"), string.Empty);
            }
        }
    }
}
