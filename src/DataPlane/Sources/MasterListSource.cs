using System.Net;
using Microsoft.Extensions.Logging;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Sources;

/// <summary>
/// <c>--masters host:port,...</c> (Mesos-DNS's <c>masters</c>): every <c>--refresh</c>, finds the leading master
/// among the list and reads its <c>/master/state</c>. The last leader is asked first, then each listed master in
/// order. A master that names another master as <c>leader</c> (or redirects, as Mesos does from a non-leader) is
/// followed one hop to that leader; only a document from a master that leads itself (<c>pid == leader</c>) is used,
/// never a follower's. When the leader stops answering, the next cycle finds whichever master leads now.
/// Unlike Mesos-DNS, the leader's own port is used (Mesos-DNS keeps the port of the master it asked), so masters
/// sharing a host work.
/// </summary>
public sealed partial class MasterListSource : IStateSource, IDisposable
{
    private readonly IReadOnlyList<string> _masters;
    private readonly SnapshotPipeline _pipeline;
    private readonly TimeSpan _refresh;
    private readonly HttpClient _client;
    private readonly ILogger _logger;
    private string? _leader;

    /// <param name="masters">Masters as <c>host:port</c> (IPv6 in brackets).</param>
    public MasterListSource(
        IReadOnlyList<string> masters, SnapshotPipeline pipeline, TimeSpan refresh, TimeSpan timeout, ILogger logger, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(masters);
        ArgumentOutOfRangeException.ThrowIfZero(masters.Count);
        _masters = masters;
        _pipeline = pipeline;
        _refresh = refresh;
        _logger = logger;
        _client = StateDocumentFetch.CreateClient(timeout, handler);
    }

    public string Origin => "masters " + string.Join(',', _masters);

    /// <summary>The leading master (<c>host:port</c>) whose state was read last; null before the first success.</summary>
    public string? Leader => Volatile.Read(ref _leader);

    public Task RunAsync(CancellationToken cancellationToken) => StateDocumentFetch.PollAsync(_refresh, FetchOnceAsync, cancellationToken);

    /// <summary>One cycle: find the leader and apply its state; false when no leader answered or its document was rejected.</summary>
    public async Task<bool> FetchOnceAsync(CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var asked = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? last = Leader;
        foreach (string master in last is null ? _masters : [last, .. _masters])
        {
            if (!asked.Add(master))
            {
                continue;
            }

            var (document, leader, error) = await FindLeaderStateAsync(master, asked, cancellationToken).ConfigureAwait(false);
            if (document is null)
            {
                failures.Add(error!);
                continue;
            }

            if (!string.Equals(leader, last, StringComparison.OrdinalIgnoreCase))
            {
                LogLeader(_logger, leader!, master, last ?? "none");
            }

            Volatile.Write(ref _leader, leader);
            return await _pipeline.ApplyDocumentAsync(document, "leading master " + leader, cancellationToken).ConfigureAwait(false);
        }

        _pipeline.ReportFetchError(Origin, "no leading master answered: " + string.Join("; ", failures));
        return false;
    }

    /// <summary>The leader's document reached from <paramref name="master"/> (itself, or the leader it names).</summary>
    private async Task<(byte[]? Document, string? Leader, string? Error)> FindLeaderStateAsync(
        string master, HashSet<string> asked, CancellationToken cancellationToken)
    {
        var first = await GetStateAsync(master, cancellationToken).ConfigureAwait(false);
        if (first.Error is not null)
        {
            return (null, null, first.Error);
        }

        string? named = first.Redirect ?? LeaderAddress(first.Fields.Leader);
        if (first.Document is not null && LeadsItself(first.Fields, master))
        {
            return (first.Document, master, null);
        }

        if (named is null)
        {
            return (null, null, $"{master}: its state names no leader");
        }

        asked.Add(named);
        var second = await GetStateAsync(named, cancellationToken).ConfigureAwait(false);
        if (second.Error is not null)
        {
            return (null, null, $"{master}: names {named} as leader, which failed: {second.Error}");
        }

        return second.Document is not null && LeadsItself(second.Fields, named)
            ? (second.Document, named, null)
            : (null, null, $"{master}: names {named} as leader, which does not lead either");
    }

    private async Task<(byte[]? Document, MasterLeaderFields Fields, string? Redirect, string? Error)> GetStateAsync(
        string master, CancellationToken cancellationToken)
    {
        var fetched = await StateDocumentFetch.GetAsync(_client, new Uri($"http://{master}/master/state"), cancellationToken).ConfigureAwait(false);
        if (fetched.Redirect is { } target)
        {
            // Mesos answers a non-leading master's /master/state with a redirect to the leader's.
            return (null, default, target.Authority, null);
        }

        return fetched.Body is null
            ? (null, default, null, $"{master}: {fetched.Error}")
            : (fetched.Body, MasterLeaderFields.Read(fetched.Body), null, null);
    }

    /// <summary>A master leads when its own pid is the leader's, or (without a pid) when the leader's address is the one asked.</summary>
    private static bool LeadsItself(MasterLeaderFields fields, string asked)
    {
        if (fields.Leader is null)
        {
            return false;
        }

        return fields.Pid is not null
            ? string.Equals(fields.Pid, fields.Leader, StringComparison.Ordinal)
            : string.Equals(LeaderAddress(fields.Leader), asked, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>master@10.0.0.1:5050</c> → <c>10.0.0.1:5050</c> (IPv6 bracketed); null when it is no pid.</summary>
    internal static string? LeaderAddress(string? leaderPid) =>
        MesosPid.TryParse(leaderPid, out var pid) ? FormatHostPort(pid.Host, pid.Port) : null;

    internal static string FormatHostPort(string host, string port) =>
        IPAddress.TryParse(host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{host}]:{port}"
            : $"{host}:{port}";

    public void Dispose() => _client.Dispose();

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Leading master is {Leader} (found through {Master}; was {Previous})")]
    private static partial void LogLeader(ILogger logger, string leader, string master, string previous);
}
