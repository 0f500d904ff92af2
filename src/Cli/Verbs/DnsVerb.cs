using System.CommandLine;
using System.Text.Json;
using Minuet.Cli.Client;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Host;

namespace Minuet.Cli.Verbs;

/// <summary><c>minuet dns NAME</c>: asks the data plane's DNS server and prints the answers (SRV for <c>_service._tcp</c> names, else A).</summary>
internal static class DnsVerb
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Name to look up, e.g. web.marathon.mesos or _web._tcp.marathon.mesos." };
        var server = new Option<string>("--server")
        {
            Description = "The data plane's DNS address (default: the running `minuet up`'s, from its state dir; else 127.0.0.1:53).",
            DefaultValueFactory = _ => Cluster.UpEndpoints.Find()?.Dns ?? "127.0.0.1:53",
        };
        var type = new Option<string?>("--type") { Description = "A, AAAA or SRV (default SRV for names starting with _, else A)." };
        var json = new Option<bool>("--json") { Description = "Print the answers as JSON." };
        var command = new Command("dns", "Look a name up in the data plane's DNS and print the answers (e.g. web.marathon.mesos).") { name, server, type, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            string query = parse.GetValue(name)!;
            if (!DataPlaneOptionsParser.TryParseEndPoint(parse.GetValue(server)!, 53, out var endPoint))
            {
                await error.WriteLineAsync($"minuet dns: --server: must be IP or IP:PORT, got \"{parse.GetValue(server)}\"").ConfigureAwait(false);
                return 1;
            }

            DnsRecordType? recordType = (parse.GetValue(type)?.ToUpperInvariant()) switch
            {
                null => query.StartsWith('_') ? DnsRecordType.Srv : DnsRecordType.A,
                "A" => DnsRecordType.A,
                "AAAA" => DnsRecordType.Aaaa,
                "SRV" => DnsRecordType.Srv,
                _ => null,
            };
            if (recordType is null)
            {
                await error.WriteLineAsync($"minuet dns: --type: must be A, AAAA or SRV, got \"{parse.GetValue(type)}\"").ConfigureAwait(false);
                return 1;
            }

            if (!DnsNameIsValid(query))
            {
                await error.WriteLineAsync($"minuet dns: \"{query}\" is not a DNS name (labels of at most 63 characters, 253 in all)").ConfigureAwait(false);
                return 1;
            }

            var result = await DnsLookup.QueryAsync(endPoint, query, recordType.Value, TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            if (result.Failure is not null && result.Answers.Count == 0)
            {
                bool guessed = parse.GetResult(server) is null or { Implicit: true } && Cluster.UpEndpoints.Find() is null;
                await error.WriteLineAsync($"minuet dns: {result.Failure}{(guessed ? $" (no running `minuet up` found in {Cluster.UpEndpoints.DefaultStateDir() ?? "the state directory (no HOME)"}; without root it serves DNS on {UpVerb.UnprivilegedDns}: --server {UpVerb.UnprivilegedDns})" : string.Empty)}").ConfigureAwait(false);
                return 2;
            }

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(
                    new { name = query, type = DnsLookup.TypeName(recordType.Value), rcode = result.Rcode, answers = result.Answers.Select(a => new { name = a.Name, type = a.Type, ttl = a.Ttl, data = a.Data }) },
                    CliJson.Options)).ConfigureAwait(false);
            }
            else if (result.Answers.Count == 0)
            {
                await output.WriteLineAsync($"{query}: no {DnsLookup.TypeName(recordType.Value)} records ({result.Rcode})").ConfigureAwait(false);
            }
            else
            {
                await output.WriteAsync(TextTable.Format(["NAME", "TYPE", "TTL", "DATA"], result.Answers.Select(a => new[] { a.Name, a.Type, a.Ttl.ToString(System.Globalization.CultureInfo.InvariantCulture), a.Data }))).ConfigureAwait(false);
            }

            return result.Answers.Count == 0 ? 3 : 0;
        });
        return command;
    }

    private static bool DnsNameIsValid(string name)
    {
        string trimmed = name.TrimEnd('.');
        return trimmed.Length is > 0 and <= 253 && trimmed.Split('.').All(label => label.Length is > 0 and <= 63);
    }
}
