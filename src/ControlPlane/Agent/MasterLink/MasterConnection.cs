using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Agent.Status;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Protocol;
using Minuet.Coordination;

namespace Minuet.ControlPlane.Agent.MasterLink;

/// <summary>
/// The agent's side of the protocol towards the master: registers (and re-registers with its tasks after a
/// restart of either side, a 404, or a master that asks), heartbeats, delivers status updates and applies
/// the master's kill lists. Status delivery waits while the agent is not registered.
/// With several masters it follows the leader (<see cref="LeaderLocator"/>): a standby's 307 names the new leader,
/// a 503 <c>no_leader</c> or no answer sends it looking again; whenever the leader it talks to changes, it
/// re-registers there under the same agent id with all its tasks, and pending status updates follow.
/// </summary>
internal sealed partial class MasterConnection : IStatusUpdateSink, IExecutorMessageSink, IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly LeaderLocator _locator;
    private readonly HttpClient _http;
    private readonly CheckpointStore _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly object _gate = new();
    private TaskCompletionSource _registered = NewSignal();
    private bool _needsRegistration = true;
    private string? _masterId;
    private TimeSpan _interval = TimeSpan.FromSeconds(5);
    private long _sequence;
    private bool _masterDownLogged;
    private Uri? _leader;

    /// <param name="locator">Owned from here on (disposed with this connection).</param>
    /// <param name="http">Must not follow redirects itself: a 307 is how a standby names the leader.</param>
    public MasterConnection(LeaderLocator locator, HttpClient http, CheckpointStore store, ILogger logger, TimeProvider? time = null)
    {
        _locator = locator;
        _http = http;
        _store = store;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _masterId = store.LoadAgent().MasterId;
    }

    /// <summary>What the agent registers as; set before <see cref="RunAsync"/> (the port is known only once Kestrel binds).</summary>
    public AgentIdentity? Identity { get; set; }

    /// <summary>Set once the runtime exists (the runtime needs this object as its sink first).</summary>
    public AgentRuntime? Runtime { get; set; }

    /// <summary>True while the master knows this agent (registered and not since refused).</summary>
    public bool IsRegistered => _registered.Task.IsCompletedSuccessfully;

    /// <summary>Completes when the agent is registered.</summary>
    public Task WhenRegisteredAsync(CancellationToken cancellationToken) => _registered.Task.WaitAsync(cancellationToken);

    /// <summary>The master this agent talks to (the leader as last found); null before the first one is found.</summary>
    public Uri? Leader => Volatile.Read(ref _leader);

    /// <summary>Registers, then heartbeats every interval, re-registering whenever the master (or the leader) needs it.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        if (_locator.Masters.Count > 1)
        {
            _ = Task.Run(() => WatchLeaderAsync(cancellationToken), CancellationToken.None);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var leader = await _locator.TargetAsync(NoLeader, cancellationToken).ConfigureAwait(false);
            var previous = Volatile.Read(ref _leader);
            if (previous != leader)
            {
                Volatile.Write(ref _leader, leader);
                if (previous is not null)
                {
                    LogLeaderChanged(_logger, leader, previous);
                    RequestRegistration($"the leading master is now {leader.Authority}");
                }
            }

            bool register;
            lock (_gate)
            {
                register = _needsRegistration;
            }

            Outcome outcome;
            if (register)
            {
                outcome = await RegisterAsync(leader, cancellationToken).ConfigureAwait(false);
                if (outcome == Outcome.Failed)
                {
                    await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                    continue;
                }

                backoff = TimeSpan.FromMilliseconds(250);
            }
            else
            {
                outcome = await HeartbeatAsync(leader, cancellationToken).ConfigureAwait(false);
            }

            // Leadership moved or vanished: look for the leader now (the locator paces itself) rather than after an interval.
            if (outcome == Outcome.LeaderMoved)
            {
                continue;
            }

            // Sleep one interval, or less when something asks for re-registration.
            await _wake.WaitAsync(_interval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Delivers one status update; see <see cref="IStatusUpdateSink"/>.</summary>
    public async Task<StatusSendOutcome> SendAsync(TaskStatusUpdate update, CancellationToken cancellationToken)
    {
        await _registered.Task.WaitAsync(cancellationToken).ConfigureAwait(false);

        // Updates carry the id the task was launched under; after a re-registration that changed the id they
        // are delivered under the current one.
        if (Runtime?.AgentId is { } current && current != update.AgentId)
        {
            update = update with { AgentId = current };
        }

        var leader = Volatile.Read(ref _leader);
        if (leader is null)
        {
            return StatusSendOutcome.Retry;
        }

        var uri = new Uri(leader, ProtocolRoutes.Status(update.AgentId));
        var (status, ack, error, answer) = await PostAsync(uri, update, ProtocolJsonContext.Default.TaskStatusUpdate,
            ProtocolJsonContext.Default.StatusAcknowledgement, cancellationToken).ConfigureAwait(false);
        if (Follow(leader, answer))
        {
            // Not the leader (any more): the run loop finds it and re-registers; the update waits and goes there.
            return StatusSendOutcome.Retry;
        }

        switch (status)
        {
            case HttpStatusCode.OK when ack?.Uuid == update.Uuid:
                return StatusSendOutcome.Acknowledged;
            case HttpStatusCode.NotFound:
                RequestRegistration("status update answered unknown agent");
                return StatusSendOutcome.Retry;
            case HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity:
                LogStatusRefused(_logger, update.TaskId, error?.Message ?? "invalid");
                return StatusSendOutcome.Rejected;
            default:
                return StatusSendOutcome.Retry;
        }
    }

    /// <summary>Relays an executor's message to the leader once; a 404 makes the agent re-register (the message is lost, as in Mesos).</summary>
    public async Task<bool> SendMessageAsync(FrameworkMessage message, CancellationToken cancellationToken)
    {
        if (Runtime?.AgentId is not { } agentId || Volatile.Read(ref _leader) is not { } leader || !IsRegistered)
        {
            return false;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await _http.PostAsync(new Uri(leader, ProtocolRoutes.ExecutorMessage(agentId)),
                JsonContent.Create(message, ProtocolJsonContext.Default.FrameworkMessage), timeout.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                RequestRegistration("executor message answered unknown agent");
            }

            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<Outcome> RegisterAsync(Uri leader, CancellationToken cancellationToken)
    {
        var runtime = Runtime ?? throw new InvalidOperationException("MasterConnection.Runtime must be set before RunAsync");
        var identity = Identity ?? throw new InvalidOperationException("MasterConnection.Identity must be set before RunAsync");
        var request = new RegisterAgentRequest
        {
            AgentId = runtime.AgentId,
            Hostname = identity.Hostname,
            Address = identity.Address,
            Port = identity.Port,
            Resources = identity.Resources.Unreserved,
            ReservedResources = identity.Resources.Reserved,
            Attributes = identity.Attributes,
            Tasks = runtime.ReportTasks(),
        };
        var (status, response, error, answer) = await PostAsync(new Uri(leader, ProtocolRoutes.Register), request,
            ProtocolJsonContext.Default.RegisterAgentRequest, ProtocolJsonContext.Default.RegisterAgentResponse, cancellationToken).ConfigureAwait(false);
        if (Follow(leader, answer))
        {
            return Outcome.LeaderMoved;
        }

        if (status != HttpStatusCode.OK || response is null)
        {
            if (status is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
            {
                LogRegistrationRefused(_logger, error?.Message ?? status.ToString()!,
                    string.Join("; ", (error?.Details ?? []).Select(d => $"{d.Path}: {string.Join(", ", d.Errors)}")));
            }

            return Outcome.Failed;
        }

        string? previous = runtime.AgentId;
        runtime.AgentId = response.AgentId;
        _store.SaveAgent(new AgentCheckpoint { AgentId = response.AgentId, MasterId = response.MasterId });
        lock (_gate)
        {
            _masterId = response.MasterId;
            _needsRegistration = false;
            _interval = Interval(response.HeartbeatIntervalSeconds);
            _registered.TrySetResult();
        }

        _masterDownLogged = false;
        LogRegistered(_logger, response.AgentId, previous is null ? "registered" : "re-registered", request.Tasks.Count, response.MasterId);
        ApplyKills(response.KillTaskIds);
        return Outcome.Done;
    }

    private async Task<Outcome> HeartbeatAsync(Uri leader, CancellationToken cancellationToken)
    {
        var runtime = Runtime!;
        string agentId = runtime.AgentId!;
        var request = new HeartbeatRequest
        {
            AgentId = agentId,
            Sequence = Interlocked.Increment(ref _sequence),
            Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0,
            Tasks = runtime.ActiveStates(),
        };
        var (status, response, _, answer) = await PostAsync(new Uri(leader, ProtocolRoutes.Heartbeat(agentId)), request,
            ProtocolJsonContext.Default.HeartbeatRequest, ProtocolJsonContext.Default.HeartbeatResponse, cancellationToken).ConfigureAwait(false);
        if (answer.Kind != MasterAnswerKind.Answered && !_masterDownLogged)
        {
            _masterDownLogged = true;
            LogMasterUnreachable(_logger, leader, answer.Kind == MasterAnswerKind.Redirect ? "redirected to " + answer.Location : status?.ToString() ?? "no answer");
        }

        if (Follow(leader, answer))
        {
            return Outcome.LeaderMoved;
        }

        if (status == HttpStatusCode.NotFound)
        {
            RequestRegistration("heartbeat answered unknown agent");
            return Outcome.Done;
        }

        if (status != HttpStatusCode.OK || response is null)
        {
            if (!_masterDownLogged)
            {
                _masterDownLogged = true;
                LogMasterUnreachable(_logger, leader, status?.ToString() ?? "no answer");
            }

            return Outcome.Failed;
        }

        _masterDownLogged = false;
        lock (_gate)
        {
            _interval = Interval(response.HeartbeatIntervalSeconds);
        }

        if (response.ReregisterRequired)
        {
            RequestRegistration("the master asked for re-registration");
        }
        else if (response.MasterId is { } id && _masterId is not null && id != _masterId)
        {
            RequestRegistration($"the master changed ({_masterId} → {id})");
        }

        ApplyKills(response.KillTaskIds);
        return Outcome.Done;
    }

    /// <summary>
    /// Applies what an answer says about leadership: a redirect names the leader, a <c>no_leader</c> 503 or no answer
    /// makes the locator look again. True when the call did not reach the leader (the run loop is woken to follow).
    /// </summary>
    private bool Follow(Uri asked, CallAnswer answer)
    {
        if (!_locator.Observe(asked, answer.Kind, answer.Location))
        {
            return false;
        }

        _wake.Release();
        return true;
    }

    private void NoLeader(string why)
    {
        if (!_masterDownLogged)
        {
            _masterDownLogged = true;
            LogNoLeader(_logger, why);
        }
    }

    private void RequestRegistration(string why)
    {
        lock (_gate)
        {
            if (_needsRegistration)
            {
                return;
            }

            _needsRegistration = true;
            _registered = NewSignal();
        }

        LogReregistering(_logger, why);
        _wake.Release();
    }

    private void ApplyKills(IReadOnlyList<string>? taskIds)
    {
        foreach (var taskId in taskIds ?? [])
        {
            LogMasterKill(_logger, taskId);
            Runtime?.Kill(taskId);
        }
    }

    private async Task<(HttpStatusCode? Status, TResponse? Body, ProtocolError? Error, CallAnswer Answer)> PostAsync<TRequest, TResponse>(
        Uri uri, TRequest body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TRequest> requestType,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await _http.PostAsync(uri, JsonContent.Create(body, requestType), timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return (response.StatusCode, await response.Content.ReadFromJsonAsync(responseType, timeout.Token).ConfigureAwait(false), null, CallAnswer.Answered);
            }

            byte[] text = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            string? location = response.Headers.Location?.OriginalString;
            var kind = MasterAnswer.Classify(response.StatusCode, location, text);
            ProtocolError? error = null;
            try
            {
                error = text.Length == 0 ? null : JsonSerializer.Deserialize(text, ProtocolJsonContext.Default.ProtocolError);
            }
            catch (JsonException)
            {
            }

            return (response.StatusCode, null, error, new CallAnswer(kind, location));
        }
        catch (HttpRequestException)
        {
            return (null, null, null, CallAnswer.NoAnswer);
        }
        catch (JsonException)
        {
            return (null, null, null, CallAnswer.Answered);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, null, null, CallAnswer.NoAnswer);
        }
    }

    /// <summary>Also disposes the locator, which this connection owns.</summary>
    public void Dispose()
    {
        _wake.Dispose();
        _locator.Dispose();
    }

    private static TimeSpan Interval(double seconds) =>
        seconds > 0 && !double.IsInfinity(seconds) ? TimeSpan.FromSeconds(Math.Min(seconds, 60)) : TimeSpan.FromSeconds(5);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private enum Outcome
    {
        Done,
        Failed,
        LeaderMoved,
    }

    private readonly record struct CallAnswer(MasterAnswerKind Kind, string? Location)
    {
        public static CallAnswer Answered => new(MasterAnswerKind.Answered, null);

        public static CallAnswer NoAnswer => new(MasterAnswerKind.Unreachable, null);
    }
}
