using System.CommandLine;
using Minuet.Cli.Client;

namespace Minuet.Cli.Verbs;

/// <summary><c>minuet config set KEY VALUE | unset KEY | show</c>: the CLI's settings (<see cref="CliConfig"/>).</summary>
internal static class ConfigVerb
{
    public static Command Create()
    {
        var command = new Command("config", $"Show and change the CLI's settings ({string.Join(", ", CliConfig.Keys)}) in $MINUET_CONFIG, else ~/.minuet/config.json.");
        var key = new Argument<string>("key") { Description = string.Join(" or ", CliConfig.Keys) };
        var value = new Argument<string>("value") { Description = "The new value (core.url: Admin Router's URL, e.g. http://10.0.0.5)." };
        var set = new Command("set", "Set a key.") { key, value };
        set.SetAction(async (parse, _) =>
        {
            string k = parse.GetValue(key)!;
            string v = parse.GetValue(value)!;
            if (!CliConfig.Keys.Contains(k))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"minuet config set: key: must be one of {string.Join(", ", CliConfig.Keys)}, got \"{k}\"").ConfigureAwait(false);
                return 1;
            }

            if (k == CliConfig.UrlKey && !(Uri.TryCreate(v, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"minuet config set: core.url: must be an http URL such as http://127.0.0.1, got \"{v}\"").ConfigureAwait(false);
                return 1;
            }

            var config = CliConfig.Load();
            config.Set(k, k == CliConfig.UrlKey ? v.TrimEnd('/') : v);
            config.Save();
            return 0;
        });
        var unsetKey = new Argument<string>("key") { Description = string.Join(" or ", CliConfig.Keys) };
        var unset = new Command("unset", "Remove a key.") { unsetKey };
        unset.SetAction((parse, _) =>
        {
            var config = CliConfig.Load();
            config.Set(parse.GetValue(unsetKey)!, null);
            config.Save();
            return Task.FromResult(0);
        });
        var show = new Command("show", "Print every key (the token shortened).");
        show.SetAction(async (parse, _) =>
        {
            var config = CliConfig.Load(out string? problem);
            if (problem is not null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"minuet config show: {problem}").ConfigureAwait(false);
                return 1;
            }

            foreach (string k in CliConfig.Keys)
            {
                string? v = config.Get(k);
                if (v is not null && k == CliConfig.TokenKey)
                {
                    v = v.Length > 12 ? v[..6] + "..." + v[^6..] : "********";
                }

                await parse.InvocationConfiguration.Output.WriteLineAsync($"{k} {v ?? "(unset)"}").ConfigureAwait(false);
            }

            return 0;
        });
        command.Subcommands.Add(set);
        command.Subcommands.Add(unset);
        command.Subcommands.Add(show);
        return command;
    }
}
