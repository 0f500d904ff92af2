using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Minuet.ControlPlane.Api;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.Coordination;

namespace Minuet.ControlPlane.Scheduler.MasterLink;

/// <summary>
/// The master's framework API over HTTP (Master/README.md): an NDJSON subscribe stream and JSON POSTs, sent to the
/// leading master that <paramref name="masters"/> finds (a standby's 307 or 503 <c>no_leader</c> sends the next call
/// to the leader; the subscription moves with it). <paramref name="http"/> must not follow redirects itself.
/// </summary>
internal sealed class HttpMasterLink(HttpClient http, LeaderLocator masters) : IMasterLink
{
    public HttpMasterLink(HttpClient http, Uri master)
        : this(http, new LeaderLocator([master]))
    {
    }

    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    public async Task RunAsync(Func<SubscribeRequest> request, Func<SchedulerEvent, Task> onEvent, Action onDisconnected, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Uri master = await masters.TargetAsync(null, cancellationToken).ConfigureAwait(false);
            try
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(master, SchedulerEndpoints.Prefix + "/subscribe"))
                {
                    Content = JsonContent.Create(request(), MasterApiJsonContext.Default.SubscribeRequest),
                };
                using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode && Observe(master, response, await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false)))
                {
                    continue; // a standby: subscribe with the leader it names (or the one found next) at once
                }

                if (response.IsSuccessStatusCode)
                {
                    using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    using var reader = new StreamReader(stream);
                    while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                    {
                        if (line.Length > 0 && JsonSerializer.Deserialize(line, MasterApiJsonContext.Default.SchedulerEvent) is { } e)
                        {
                            await onEvent(e).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // The master is away or restarting: subscribe again (with our framework id) after a pause, with
                // whichever master leads by then.
                masters.Observe(master, MasterAnswerKind.Unreachable, null);
            }

            onDisconnected();

            await Task.Delay(Retry, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<MasterError?> AcceptAsync(string frameworkId, AcceptRequest request, CancellationToken cancellationToken) =>
        PostAsync("accept", request with { FrameworkId = frameworkId }, MasterApiJsonContext.Default.AcceptRequest, cancellationToken);

    public Task<MasterError?> DeclineAsync(string frameworkId, DeclineRequest request, CancellationToken cancellationToken) =>
        PostAsync("decline", request with { FrameworkId = frameworkId }, MasterApiJsonContext.Default.DeclineRequest, cancellationToken);

    public Task<MasterError?> KillAsync(string frameworkId, KillRequest request, CancellationToken cancellationToken) =>
        PostAsync("kill", request with { FrameworkId = frameworkId }, MasterApiJsonContext.Default.KillRequest, cancellationToken);

    public Task<MasterError?> AcknowledgeAsync(string frameworkId, AcknowledgeRequest request, CancellationToken cancellationToken) =>
        PostAsync("acknowledge", request with { FrameworkId = frameworkId }, MasterApiJsonContext.Default.AcknowledgeRequest, cancellationToken);

    public Task<MasterError?> ReconcileAsync(string frameworkId, ReconcileRequest request, CancellationToken cancellationToken) =>
        PostAsync("reconcile", request with { FrameworkId = frameworkId }, MasterApiJsonContext.Default.ReconcileRequest, cancellationToken);

    public Task<MasterError?> ReviveAsync(string frameworkId, CancellationToken cancellationToken) =>
        PostAsync("revive", new FrameworkCall { FrameworkId = frameworkId }, MasterApiJsonContext.Default.FrameworkCall, cancellationToken);

    private async Task<MasterError?> PostAsync<T>(string call, T body, JsonTypeInfo<T> info, CancellationToken cancellationToken)
    {
        // The client has no timeout (the subscribe stream is endless); calls get their own.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        Uri master = masters.Leader ?? masters.Masters[0];
        try
        {
            // A standby's redirect is followed once, to the leader it names; past that the caller retries as usual.
            for (int attempt = 0; ; attempt++)
            {
                master = await masters.TargetAsync(null, timeout.Token).ConfigureAwait(false);
                using var response = await http.PostAsync(new Uri(master, $"{SchedulerEndpoints.Prefix}/{call}"), JsonContent.Create(body, info), timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return null;
                }

                // The master answered: whatever the body, this is its refusal, not unreachability (an empty 500 from a
                // failed store write is the master refusing; the caller retries or reconciles, it does not wait for a link).
                var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                if (Observe(master, response, bytes) && attempt == 0)
                {
                    continue;
                }

                return Refusal((int)response.StatusCode, response.ReasonPhrase, System.Text.Encoding.UTF8.GetString(bytes));
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            masters.Observe(master, MasterAnswerKind.Unreachable, null);
            return new MasterError(503, Unreachable, $"master {master} unreachable: {e.Message}");
        }
    }

    /// <summary>Feeds a refusal's leadership meaning to the locator; true when it came from a standby (retry at the leader).</summary>
    private bool Observe(Uri master, HttpResponseMessage response, byte[] body) =>
        masters.Observe(master, MasterAnswer.Classify(response.StatusCode, response.Headers.Location?.OriginalString, body), response.Headers.Location?.OriginalString);

    /// <summary>The code of an error made here when the master could not be reached (no answer at all).</summary>
    public const string Unreachable = "unreachable";

    /// <summary>The master's error from its answer: its protocol error JSON, or the status and whatever body it sent.</summary>
    internal static MasterError Refusal(int status, string? reason, string body)
    {
        try
        {
            if (body.Length > 0 && JsonSerializer.Deserialize(body, ProtocolJsonContext.Default.ProtocolError) is { } error)
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
