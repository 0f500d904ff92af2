using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Docker;

/// <summary>
/// The Docker side of the agent: the engine client, whether the containerizer is on (decided once, at the first
/// need: on when named in <c>--containerizers</c>, else when the socket answers), and whether the daemon answers
/// now (checked at each launch, so a daemon that went down or came back is seen). Its view is in the agent's state.
/// </summary>
internal sealed partial class DockerContainerizer : IDisposable
{
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private Task<bool>? _decision;
    private bool _available;
    private string? _reason;
    private string? _version;

    public DockerContainerizer(DockerOptions options, ILogger logger)
    {
        Options = options;
        _logger = logger;
        Engine = new DockerEngine(options.Socket);
    }

    public DockerOptions Options { get; }

    public DockerEngine Engine { get; }

    /// <summary>True once decided on (always true when <c>--containerizers</c> names docker).</summary>
    public bool Enabled { get; private set; }

    public void Dispose() => Engine.Dispose();

    /// <summary>Decides once whether Docker is used here, logging the decision.</summary>
    public Task<bool> DecideAsync()
    {
        lock (_gate)
        {
            return _decision ??= DecideCoreAsync();
        }
    }

    /// <summary>Pings the daemon now; the error says why Docker launches cannot run.</summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        if (!await DecideAsync().ConfigureAwait(false))
        {
            return $"this agent runs no Docker containerizer ({Reason() ?? "--containerizers mesos"})";
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        DockerResult<string> ping;
        try
        {
            ping = await Engine.PingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ping = DockerResult<string>.Failure($"the Docker daemon at {Options.Socket} did not answer within 5 s", 0);
        }

        Record(ping.Ok, ping.Error);
        return ping.Ok ? null : $"the Docker containerizer is unavailable: {ping.Error}";
    }

    /// <summary>Notes a daemon failure seen during work (not only at launches).</summary>
    public void ReportUnreachable(string error) => Record(false, error);

    /// <summary>What <c>/api/v1/state</c> shows.</summary>
    public DockerContainerizerState State()
    {
        lock (_gate)
        {
            return new DockerContainerizerState(Enabled, _available && Enabled, Options.Socket, _version, Enabled ? _reason : _reason ?? "not enabled");
        }
    }

    private string? Reason()
    {
        lock (_gate)
        {
            return _reason;
        }
    }

    private void Record(bool available, string? error)
    {
        bool changed;
        lock (_gate)
        {
            changed = _available != available;
            _available = available;
            _reason = available ? null : error;
        }

        if (changed)
        {
            if (available)
            {
                LogAvailable(_logger, Options.Socket);
            }
            else
            {
                LogUnavailable(_logger, Options.Socket, error ?? "unknown");
            }
        }
    }

    private async Task<bool> DecideCoreAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        DockerResult<VersionResponse> version;
        try
        {
            version = await Engine.VersionAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            version = DockerResult<VersionResponse>.Failure($"the Docker daemon at {Options.Socket} did not answer within 5 s", 0);
        }

        lock (_gate)
        {
            _available = version.Ok;
            _reason = version.Error;
            _version = version.Value?.Version;
            Enabled = Options.Enabled == true || version.Ok;
        }

        if (!Enabled)
        {
            LogDockerOff(_logger, Options.Socket, version.Error ?? "no answer");
            lock (_gate)
            {
                _reason = $"the Docker socket {Options.Socket} did not answer when the agent started: {version.Error}; containerizers: mesos";
            }
        }
        else if (version.Ok)
        {
            LogDockerOn(_logger, Options.Socket, version.Value!.Version ?? "?", version.Value.ApiVersion ?? "?");
        }
        else
        {
            LogUnavailable(_logger, Options.Socket, version.Error!);
        }

        return Enabled;
    }

    [LoggerMessage(EventId = 5160, Level = LogLevel.Information, Message = "Docker containerizer on: {Socket} (Docker {Version}, API {ApiVersion}); containerizers mesos,docker")]
    private static partial void LogDockerOn(ILogger logger, string socket, string version, string apiVersion);

    [LoggerMessage(EventId = 5161, Level = LogLevel.Information, Message = "Docker containerizer off: {Socket} does not answer ({Reason}); containerizers mesos")]
    private static partial void LogDockerOff(ILogger logger, string socket, string reason);

    [LoggerMessage(EventId = 5162, Level = LogLevel.Warning, Message = "Docker daemon at {Socket} is unavailable: {Reason}; Docker launches fail until it answers, process tasks are unaffected")]
    private static partial void LogUnavailable(ILogger logger, string socket, string reason);

    [LoggerMessage(EventId = 5163, Level = LogLevel.Information, Message = "Docker daemon at {Socket} answers again")]
    private static partial void LogAvailable(ILogger logger, string socket);
}
