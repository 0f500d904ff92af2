using Minuet.Platform.EdgeLb.Config;

namespace Minuet.Platform.EdgeLb.Runtime;

/// <summary>
/// The runtime-API commands that turn the running configuration into a new one without a reload, or null when a reload
/// is needed: anything besides servers changed, a non-dynamic backend's servers changed, or a server kept its name but
/// changed its address or options. New servers are added before old ones are removed, so a replaced task never leaves
/// its backend empty; <c>add server</c> creates servers in maintenance with checks off, hence the two enables. A removed
/// server goes to maintenance first (no new requests) and is deleted once its requests in flight have finished (the
/// controller retries <c>del server</c>, see <c>EdgeLbController.Apply</c>).
/// </summary>
internal static class ServerDelta
{
    public static List<string>? Plan(GeneratedConfig running, GeneratedConfig next)
    {
        if (!string.Equals(running.Skeleton, next.Skeleton, StringComparison.Ordinal))
        {
            return null;
        }

        var adds = new List<string>();
        var removes = new List<string>();
        foreach (var (name, plan) in next.Backends)
        {
            var before = running.Backends[name].Servers.ToDictionary(s => s.Name, StringComparer.Ordinal);
            var after = plan.Servers.ToDictionary(s => s.Name, StringComparer.Ordinal);
            if (before.Count == after.Count && after.Values.All(s => before.TryGetValue(s.Name, out var b) && b == s))
            {
                continue;
            }

            if (!plan.Dynamic)
            {
                return null;
            }

            foreach (var server in plan.Servers)
            {
                string target = $"{name}/{server.Name}";
                if (!before.TryGetValue(server.Name, out var old))
                {
                    adds.Add($"add server {target} {server.Address} {server.Options}");
                    if (server.Options.Contains(" check inter ", StringComparison.Ordinal) || server.Options.EndsWith(" check", StringComparison.Ordinal))
                    {
                        adds.Add($"enable health {target}");
                    }

                    if (!server.Disabled)
                    {
                        adds.Add($"enable server {target}");
                    }
                }
                else if (old.Address != server.Address || old.Options != server.Options)
                {
                    return null;
                }
                else if (old.Disabled != server.Disabled)
                {
                    adds.Add($"set server {target} state {(server.Disabled ? "maint" : "ready")}");
                }
            }

            foreach (var gone in before.Keys.Where(n => !after.ContainsKey(n)))
            {
                string target = $"{name}/{gone}";
                removes.Add($"set server {target} state maint");
                removes.Add($"del server {target}");
            }
        }

        adds.AddRange(removes);
        return adds;
    }
}
