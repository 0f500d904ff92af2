using System.Net;

namespace Minuet.Coordination;

/// <summary>
/// Finds the leading master among a list, the way every follower (agent, data plane, scheduler, CLI) needs it:
/// asks <c>GET /master/redirect</c> of the last leader first, then of each listed master in order, and follows the
/// 307 (scheme-less <c>//ip:port</c>) to the master it names, which must name itself to count (a standby may still
/// name a leader that just died). A 503 means that master knows no leader; a refused or timed-out connection means
/// it is down; a 404 means a master without the route (a single master of an older build), which then leads itself.
/// <see cref="FindAsync"/> repeats passes with backoff until a leader answers. Callers report what their own calls
/// learn: <see cref="Redirected"/> for a 307, <see cref="Lost"/> for a 503 <c>no_leader</c> or no answer.
/// Thread-safe; no state but the current leader.
/// </summary>
public sealed class LeaderLocator : IDisposable
{
    private readonly HttpClient _client;
    private readonly LeaderLocatorOptions _options;
    private readonly TimeProvider _time;
    private Uri? _leader;

    /// <param name="masters">Base URLs of the masters (<see cref="MasterList.TryParse"/>), at least one.</param>
    /// <param name="handler">For tests; by default a handler that never follows redirects itself.</param>
    public LeaderLocator(IReadOnlyList<Uri> masters, LeaderLocatorOptions? options = null, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(masters);
        ArgumentOutOfRangeException.ThrowIfZero(masters.Count);
        Masters = [.. masters.Select(MasterAnswer.BaseOf)];
        _options = options ?? new LeaderLocatorOptions();
        _time = time ?? TimeProvider.System;
        _client = handler is null
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = _options.ProbeTimeout, UseProxy = false })
            : new HttpClient(handler, disposeHandler: false);
        _client.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>The masters as configured (base URLs).</summary>
    public IReadOnlyList<Uri> Masters { get; }

    /// <summary>The leader found or learned last; null before the first find and after <see cref="Lost"/>.</summary>
    public Uri? Leader => Volatile.Read(ref _leader);

    /// <summary>The known leader, else passes over the masters (with backoff) until one leads. <paramref name="onMiss"/> hears each failed pass.</summary>
    public async Task<Uri> FindAsync(Action<string>? onMiss, CancellationToken cancellationToken)
    {
        var backoff = _options.MinBackoff;
        while (true)
        {
            if (Leader is { } known)
            {
                return known;
            }

            var (lookup, waitAt, unless) = await PassAsync(cancellationToken).ConfigureAwait(false);
            if (lookup.Leader is { } leader)
            {
                return leader;
            }

            if (waitAt is not null && _options.ElectionWait > TimeSpan.Zero && await WaitForElectionAsync(waitAt, unless, cancellationToken).ConfigureAwait(false) is { } elected)
            {
                return elected;
            }

            onMiss?.Invoke(lookup.Error!);
            await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
        }
    }

    /// <summary>
    /// Where the next call goes: the known leader; else, with a single master, that master without asking (its own
    /// answers say if it stands by: a 307 is then fed to <see cref="Observe"/>); else <see cref="FindAsync"/>.
    /// </summary>
    public async ValueTask<Uri> TargetAsync(Action<string>? onMiss, CancellationToken cancellationToken)
    {
        if (Leader is { } known)
        {
            return known;
        }

        return Masters.Count == 1 ? Masters[0] : await FindAsync(onMiss, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One pass: the last leader first, then each master; adopts and returns the leader, or every master's reason.</summary>
    public async Task<LeaderLookup> LookupAsync(CancellationToken cancellationToken) => (await PassAsync(cancellationToken).ConfigureAwait(false)).Lookup;

    /// <summary>A pass, plus where to wait for the election when it failed: the first master that answered, and the leader it named that did not confirm.</summary>
    private async Task<(LeaderLookup Lookup, Uri? WaitAt, string Unless)> PassAsync(CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        var asked = new HashSet<Uri>();
        Uri? waitAt = null;
        string unless = "";
        Uri? last = Leader;
        foreach (var master in last is null ? Masters : [last, .. Masters])
        {
            if (asked.Contains(master))
            {
                continue;
            }

            var (leader, reason, answered, named) = await FollowAsync(master, asked, cancellationToken).ConfigureAwait(false);
            if (leader is not null)
            {
                Adopt(leader);
                return (LeaderLookup.Of(leader), null, "");
            }

            if (waitAt is null && answered is not null)
            {
                (waitAt, unless) = (answered, named?.Authority ?? "");
            }

            reasons.Add(reason!);
        }

        return (LeaderLookup.Failed("no leading master: " + string.Join("; ", reasons)), waitAt, unless);
    }

    /// <summary>
    /// Asks <paramref name="master"/> to answer once it names a leader other than <paramref name="unless"/> (long poll),
    /// then confirms that leader names itself. Null when none came within the wait or it did not confirm.
    /// </summary>
    private async Task<Uri?> WaitForElectionAsync(Uri master, string unless, CancellationToken cancellationToken)
    {
        var query = $"?wait_secs={_options.ElectionWait.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}&unless={Uri.EscapeDataString(unless)}";
        var answer = await AskAsync(master, query, _options.ProbeTimeout + _options.ElectionWait, cancellationToken).ConfigureAwait(false);
        // The dead leader named again (the wait ran out) is no answer; the waited-on master naming itself is one, since
        // a standby doing so was flagged by AskAsync: it leads now.
        if (answer.Leader is not { } named || (named.Authority == unless && named != MasterAnswer.BaseOf(master)))
        {
            return null;
        }

        var (leader, _, _, _) = await FollowAsync(named, [], cancellationToken).ConfigureAwait(false);
        if (leader is null && named != MasterAnswer.BaseOf(master))
        {
            // Elected but still loading its state (it stands by, 503, until then): wait on it for itself rather than
            // pass over every master again with backoff.
            var own = await AskAsync(named, query, _options.ProbeTimeout + _options.ElectionWait, cancellationToken).ConfigureAwait(false);
            leader = own.Leader == named ? named : null;
        }

        if (leader is not null)
        {
            Adopt(leader);
        }

        return leader;
    }

    /// <summary>
    /// Who <paramref name="master"/> says leads, in one question (no second hop): itself, another master, or an
    /// error (503: none known; no answer). Watchers call it on the leader they follow to notice a deposition.
    /// </summary>
    public Task<LeaderLookup> AskAsync(Uri master, CancellationToken cancellationToken) => AskAsync(master, "", _options.ProbeTimeout, cancellationToken);

    private async Task<LeaderLookup> AskAsync(Uri master, string query, TimeSpan limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(master);
        var url = new Uri(MasterAnswer.BaseOf(master), _options.RedirectPath + query);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            string? location = response.Headers.Location?.OriginalString;
            return response.StatusCode switch
            {
                >= HttpStatusCode.MovedPermanently and < HttpStatusCode.BadRequest when MasterAnswer.LeaderFromLocation(url, location) is { } leader
                    && leader == MasterAnswer.BaseOf(master) && StandsBy(response)
                    => LeaderLookup.Failed($"{Name(master)} stands by and names its own address (a new process where the leader died; its lease has not run out)") with { SelfStandby = true },
                >= HttpStatusCode.MovedPermanently and < HttpStatusCode.BadRequest when MasterAnswer.LeaderFromLocation(url, location) is { } leader
                    => LeaderLookup.Of(leader),
                HttpStatusCode.NotFound => LeaderLookup.Of(MasterAnswer.BaseOf(master)),
                HttpStatusCode.ServiceUnavailable => LeaderLookup.Failed($"{Name(master)} knows no leader (503)"),
                var status => LeaderLookup.Failed($"{Name(master)} answered {(int)status} to {_options.RedirectPath}"),
            };
        }
        catch (HttpRequestException e)
        {
            return LeaderLookup.NoAnswer($"{Name(master)} unreachable ({e.Message})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return LeaderLookup.NoAnswer($"{Name(master)} did not answer within {limit.TotalMilliseconds:0} ms");
        }
    }

    /// <summary>
    /// A call to <paramref name="asked"/> was redirected: the master named by <paramref name="location"/> becomes the
    /// leader (the next call goes there; if it is wrong, that call says so). Null when the location is unusable.
    /// </summary>
    public Uri? Redirected(Uri asked, string? location)
    {
        ArgumentNullException.ThrowIfNull(asked);
        var leader = MasterAnswer.LeaderFromLocation(asked, location);

        // A leader serves, it never redirects: a 307 to the asked master's own address comes from a standby restarted
        // there that still names the dead leader it replaced (until that lease runs out). Adopting it would loop.
        if (leader is null || leader == MasterAnswer.BaseOf(asked))
        {
            return null;
        }

        Adopt(leader);
        return leader;
    }

    /// <summary>A call to <paramref name="failed"/> got no answer or a 503 <c>no_leader</c>: forget it if it is still the leader.</summary>
    public void Lost(Uri failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        var current = Leader;
        if (current is not null && current == MasterAnswer.BaseOf(failed))
        {
            Interlocked.CompareExchange(ref _leader, null, current);
        }
    }

    /// <summary>
    /// Applies what one call's answer says about leadership (<see cref="MasterAnswer.Classify"/>): a redirect adopts
    /// the leader it names; a <c>no_leader</c> 503, or no answer while other masters exist, forgets the asked master.
    /// True when the call did not reach the leader: call <see cref="FindAsync"/> and try again there.
    /// </summary>
    public bool Observe(Uri asked, MasterAnswerKind kind, string? location)
    {
        ArgumentNullException.ThrowIfNull(asked);
        switch (kind)
        {
            case MasterAnswerKind.Redirect:
                if (Redirected(asked, location) is null)
                {
                    Lost(asked);
                }

                return true;
            case MasterAnswerKind.NoLeader:
            case MasterAnswerKind.Unreachable when Masters.Count > 1:
                Lost(asked);
                return true;
            default:
                return false;
        }
    }

    public void Dispose() => _client.Dispose();

    private void Adopt(Uri leader) => Volatile.Write(ref _leader, leader);

    /// <summary>
    /// Follows what <paramref name="master"/> says until a master names itself (at most MaxHops redirects). Without a
    /// leader it also tells the last master that answered (null: none did) and whom that one named (null: nobody).
    /// </summary>
    private async Task<(Uri? Leader, string? Reason, Uri? Answered, Uri? Named)> FollowAsync(Uri master, HashSet<Uri> asked, CancellationToken cancellationToken)
    {
        var current = master;
        Uri? previous = null;
        for (int hop = 0; hop <= _options.MaxHops; hop++)
        {
            asked.Add(current);
            var answer = await AskAsync(current, cancellationToken).ConfigureAwait(false);
            if (answer.Leader is not { } named)
            {
                var reason = hop == 0 ? answer.Error : $"{Name(master)} names {Name(current)}, but {answer.Error}";

                // No answer from the named leader: its namer is the one to wait on; a 503 there: wait on it for any leader;
                // a restarted standby naming its own address: wait on it for a leader other than that dead one.
                return answer.Unreachable ? (null, reason, previous, previous is null ? null : current)
                    : (null, reason, current, answer.SelfStandby ? current : null);
            }

            if (named == current)
            {
                return (named, null, null, null);
            }

            previous = current;
            current = named;
        }

        return (null, $"{Name(master)}: still redirected after {_options.MaxHops} hops", null, null);
    }

    private static string Name(Uri master) => master.Authority;

    /// <summary>Minuet masters say their role on every answer; others (Mesos) do not, and then count as what they answer.</summary>
    private static bool StandsBy(HttpResponseMessage response) =>
        response.Headers.TryGetValues(RoleHeader, out var roles) && roles.Contains("standby", StringComparer.OrdinalIgnoreCase);

    private const string RoleHeader = "X-Minuet-Role";
}
