using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Agent.Status;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.MasterLink;

/// <summary>
/// The agent's side of the protocol towards the master: registers (and re-registers with its tasks after a
/// restart of either side, a 404, or a master that asks), heartbeats, delivers status updates and applies
/// the master's kill lists. Status delivery waits while the agent is not registered.
/// </summary>
internal sealed partial class MasterConnection : IStatusUpdateSink, IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly Uri _master;
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

    public MasterConnection(Uri master, HttpClient http, CheckpointStore store, ILogger logger, TimeProvider? time = null)
    {
        _master = master;
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

    /// <summary>Registers, then heartbeats every interval, re-registering whenever the master needs it.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!cancellationToken.IsCancellationRequested)
        {
            bool register;
            lock (_gate)
            {
                register = _needsRegistration;
            }

            if (register)
            {
                if (!await RegisterAsync(cancellationToken).ConfigureAwait(false))
                {
                    await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                    continue;
                }

                backoff = TimeSpan.FromMilliseconds(250);
            }
            else
            {
                await HeartbeatAsync(cancellationToken).ConfigureAwait(false);
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

        var uri = new Uri(_master, ProtocolRoutes.Status(update.AgentId));
        var (status, ack, error) = await PostAsync(uri, update, ProtocolJsonContext.Default.TaskStatusUpdate,
            ProtocolJsonContext.Default.StatusAcknowledgement, cancellationToken).ConfigureAwait(false);
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

    private async Task<bool> RegisterAsync(CancellationToken cancellationToken)
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
        var (status, response, error) = await PostAsync(new Uri(_master, ProtocolRoutes.Register), request,
            ProtocolJsonContext.Default.RegisterAgentRequest, ProtocolJsonContext.Default.RegisterAgentResponse, cancellationToken).ConfigureAwait(false);
        if (status != HttpStatusCode.OK || response is null)
        {
            if (status is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
            {
                LogRegistrationRefused(_logger, error?.Message ?? status.ToString()!,
                    string.Join("; ", (error?.Details ?? []).Select(d => $"{d.Path}: {string.Join(", ", d.Errors)}")));
            }

            return false;
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
        return true;
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
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
        var (status, response, _) = await PostAsync(new Uri(_master, ProtocolRoutes.Heartbeat(agentId)), request,
            ProtocolJsonContext.Default.HeartbeatRequest, ProtocolJsonContext.Default.HeartbeatResponse, cancellationToken).ConfigureAwait(false);
        if (status == HttpStatusCode.NotFound)
        {
            RequestRegistration("heartbeat answered unknown agent");
            return;
        }

        if (status != HttpStatusCode.OK || response is null)
        {
            if (!_masterDownLogged)
            {
                _masterDownLogged = true;
                LogMasterUnreachable(_logger, _master, status?.ToString() ?? "no answer");
            }

            return;
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

    private async Task<(HttpStatusCode? Status, TResponse? Body, ProtocolError? Error)> PostAsync<TRequest, TResponse>(
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
                return (response.StatusCode, await response.Content.ReadFromJsonAsync(responseType, timeout.Token).ConfigureAwait(false), null);
            }

            ProtocolError? error = null;
            try
            {
                error = await response.Content.ReadFromJsonAsync(ProtocolJsonContext.Default.ProtocolError, timeout.Token).ConfigureAwait(false);
            }
            catch (JsonException)
            {
            }

            return (response.StatusCode, null, error);
        }
        catch (HttpRequestException)
        {
            return (null, null, null);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, null, null);
        }
    }

    public void Dispose() => _wake.Dispose();

    private static TimeSpan Interval(double seconds) =>
        seconds > 0 && !double.IsInfinity(seconds) ? TimeSpan.FromSeconds(Math.Min(seconds, 60)) : TimeSpan.FromSeconds(5);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
