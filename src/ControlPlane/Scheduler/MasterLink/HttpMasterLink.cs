using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text.Json;
using Minuet.ControlPlane.Api.V1;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.Coordination;

namespace Minuet.ControlPlane.Scheduler.MasterLink;

/// <summary>
/// The master's framework API over HTTP: Mesos's v1 scheduler API (<c>POST /api/v1/scheduler</c>), so the scheduler
/// runs against any Mesos-compatible master. SUBSCRIBE opens a RecordIO event stream whose <c>Mesos-Stream-Id</c>
/// every later call carries. Which master leads is the shared <see cref="LeaderLocator"/>'s to find and follow (as the
/// agent, the data plane and the CLI do): a standby's 307 names the leader, a 503 <c>no_leader</c> or no answer makes
/// it look again over every listed master.
/// </summary>
internal sealed class HttpMasterLink : IMasterLink
{
    /// <summary>The code of an error made here when the master could not be reached (no answer at all).</summary>
    public const string Unreachable = "unreachable";

    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The pause after a stream that broke or a master that did not answer: the locator then paces the search for the
    /// leader itself, so a longer pause here would only add to every fail-over's first offer.
    /// </summary>
    private static readonly TimeSpan Reconnect = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Largest event accepted on the stream (an OFFERS event of a big cluster stays far below).</summary>
    private const long MaxRecord = 64L * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly LeaderLocator _masters;
    private readonly OfferAgents _offerAgents = new();
    private volatile string? _streamId;
    private volatile string? _frameworkId;
    private CancellationTokenSource? _subscription;

    public HttpMasterLink(HttpClient http, Uri master)
        : this(http, new LeaderLocator([master]))
    {
    }

    /// <param name="http">Must not follow redirects itself: a standby's 307 is the locator's to read.</param>
    /// <param name="masters">Owned by the caller, which disposes it after the link stops.</param>
    public HttpMasterLink(HttpClient http, LeaderLocator masters)
    {
        _http = http;
        _masters = masters;
    }

    public async Task RunAsync(Func<SubscribeRequest> request, Func<SchedulerEvent, Task> onEvent, Action onDisconnected, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var master = await _masters.TargetAsync(null, cancellationToken).ConfigureAwait(false);
            var pause = Reconnect;
            using var subscription = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Volatile.Write(ref _subscription, subscription);
            try
            {
                var subscribe = request();
                var call = V1CallBuilder.Subscribe(subscribe);
                using var message = Post(master, call);
                message.Headers.Accept.ParseAdd(V1MediaTypes.Json);
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, subscription.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.TemporaryRedirect)
                {
                    _masters.Observe(master, MasterAnswerKind.Redirect, response.Headers.Location?.OriginalString);
                    continue;
                }

                if (response.StatusCode == HttpStatusCode.OK && response.Headers.TryGetValues(V1MediaTypes.StreamIdHeader, out var ids))
                {
                    _streamId = ids.FirstOrDefault();
                    using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    await ReadEventsAsync(stream, onEvent, subscription.Token).ConfigureAwait(false);
                }
                else
                {
                    // Refused (a 503 no_leader, or the master's own error): look for the leader again before retrying.
                    _masters.Lost(master);
                    pause = Retry;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException or InvalidDataException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // The master is away or restarting: subscribe again (with our framework id) after a pause, to
                // whichever master leads by then.
                _masters.Observe(master, MasterAnswerKind.Unreachable, null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A call was redirected: the master this stream comes from no longer leads (see CallAsync).
            }

            _streamId = null;
            onDisconnected();

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReadEventsAsync(Stream stream, Func<SchedulerEvent, Task> onEvent, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream);
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = read.Buffer;
                while (true)
                {
                    if (!RecordIo.TryRead(ref buffer, MaxRecord, out var payload, out var malformed))
                    {
                        if (malformed is not null)
                        {
                            throw new InvalidDataException("malformed RecordIO stream: " + malformed);
                        }

                        break;
                    }

                    var e = JsonSerializer.Deserialize(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray(), V1JsonContext.Default.V1Event);
                    if (e is not null)
                    {
                        await DeliverAsync(e, onEvent).ConfigureAwait(false);
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private Task DeliverAsync(V1Event v1, Func<SchedulerEvent, Task> onEvent)
    {
        if (v1.Subscribed?.FrameworkId?.Value is { } id)
        {
            _frameworkId = id;
        }

        var e = V1EventMapping.FromV1(v1, _frameworkId);
        foreach (var offer in e.Offers ?? [])
        {
            _offerAgents.Remember(offer.Id, offer.AgentId);
        }

        if (e.RescindOfferId is { } rescinded)
        {
            _offerAgents.Forget([rescinded]);
        }

        return onEvent(e);
    }

    public Task<MasterError?> AcceptAsync(string frameworkId, AcceptRequest request, CancellationToken cancellationToken)
    {
        string agentId = request.OfferIds.Select(_offerAgents.AgentOf).FirstOrDefault(a => a is not null) ?? string.Empty;
        _offerAgents.Forget(request.OfferIds);
        return CallAsync(V1CallBuilder.Accept(frameworkId, request, agentId), cancellationToken);
    }

    public Task<MasterError?> DeclineAsync(string frameworkId, DeclineRequest request, CancellationToken cancellationToken)
    {
        _offerAgents.Forget(request.OfferIds);
        return CallAsync(V1CallBuilder.Decline(frameworkId, request), cancellationToken);
    }

    public Task<MasterError?> KillAsync(string frameworkId, KillRequest request, CancellationToken cancellationToken) =>
        CallAsync(V1CallBuilder.Kill(frameworkId, request), cancellationToken);

    public Task<MasterError?> AcknowledgeAsync(string frameworkId, AcknowledgeRequest request, CancellationToken cancellationToken) =>
        CallAsync(V1CallBuilder.Acknowledge(frameworkId, request), cancellationToken);

    public Task<MasterError?> ReconcileAsync(string frameworkId, ReconcileRequest request, CancellationToken cancellationToken) =>
        CallAsync(V1CallBuilder.Reconcile(frameworkId, request), cancellationToken);

    public Task<MasterError?> ReviveAsync(string frameworkId, CancellationToken cancellationToken) =>
        CallAsync(new V1Call { Type = "REVIVE", FrameworkId = new V1Id(frameworkId) }, cancellationToken);

    private static HttpRequestMessage Post(Uri master, V1Call call)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(master, V1SchedulerEndpoint.Path.TrimStart('/')))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(call, V1JsonContext.Default.V1Call)),
        };

        // Exactly this value: Mesos refuses any other Content-Type (even with a charset) with 415.
        message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(V1MediaTypes.Json);
        return message;
    }

    private async Task<MasterError?> CallAsync(V1Call call, CancellationToken cancellationToken)
    {
        // The client has no timeout (the subscribe stream is endless); calls get their own.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        var master = _masters.Leader ?? _masters.Masters[0];
        try
        {
            using var message = Post(master, call);
            if (_streamId is { } streamId)
            {
                message.Headers.TryAddWithoutValidation(V1MediaTypes.StreamIdHeader, streamId);
            }

            using var response = await _http.SendAsync(message, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return null;
            }

            if (response.StatusCode == HttpStatusCode.TemporaryRedirect)
            {
                // A master that stepped down may keep our stream open a while; its 307 says another leads now, so
                // the stream is dropped and the framework subscribes again where the redirect points.
                _masters.Observe(master, MasterAnswerKind.Redirect, response.Headers.Location?.OriginalString);
                await (Volatile.Read(ref _subscription)?.CancelAsync() ?? Task.CompletedTask).ConfigureAwait(false);
            }

            // The master answered: whatever the body, this is its refusal, not unreachability (an empty 500 from a
            // failed store write is the master refusing; the caller retries or reconciles, it does not wait for a link).
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            return Refusal((int)response.StatusCode, response.ReasonPhrase, text);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new MasterError(503, Unreachable, $"master {master} unreachable: {e.Message}");
        }
    }

    /// <summary>The master's error from its answer: Minuet's error JSON, or the status and whatever text it sent (Mesos's style).</summary>
    internal static MasterError Refusal(int status, string? reason, string body)
    {
        try
        {
            if (body.StartsWith('{') && JsonSerializer.Deserialize(body, ProtocolJsonContext.Default.ProtocolError) is { } error)
            {
                return new MasterError(status, error.Code ?? "error", error.Message ?? reason ?? "error", error.Details);
            }
        }
        catch (JsonException)
        {
            // Not the protocol's shape: reported as text below.
        }

        var text = body.Length > 200 ? body[..200] + "..." : body;
        return new MasterError(status, $"http_{status}", $"master answered {status} {reason}{(text.Length > 0 ? ": " + text : " with no body")}".TrimEnd());
    }
}
