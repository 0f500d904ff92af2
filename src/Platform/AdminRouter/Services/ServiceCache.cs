using Microsoft.Extensions.Logging;
using Minuet.Platform.AdminRouter.Routing;

namespace Minuet.Platform.AdminRouter.Services;

/// <summary>
/// Keeps the <see cref="ServiceSnapshot"/> fresh. DC/OS rebuilt it every 25 s, so a new app waited up to 25 s for
/// its <c>/service/</c> URL; here Marathon's event stream (<see cref="MarathonEventWatcher"/>) asks for a rebuild
/// on every change, and a slow poll covers a stream that is down. A failed read keeps the last good part, with its
/// time, so resolution can tell "stale past the limit" (503) from "not found".
/// </summary>
internal sealed class ServiceCache(Uri marathon, MasterLeader leader, HttpMessageInvoker http, TimeProvider time, TimeSpan pollInterval, ILogger log) : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    // Rebuilds asked for while one runs collapse into one more.
    private readonly SemaphoreSlim _wanted = new(0, 1);
    private volatile ServiceSnapshot _snapshot = ServiceSnapshot.Empty;
    private long _refreshes;

    public ServiceSnapshot Current => _snapshot;

    /// <summary>How many rebuilds completed (tests wait on it).</summary>
    public long Refreshes => Interlocked.Read(ref _refreshes);

    public event Action? Refreshed;

    public void RequestRefresh()
    {
        try
        {
            _wanted.Release();
        }
        catch (SemaphoreFullException)
        {
            // One is already pending; it will see this change too.
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
                await _wanted.WaitAsync(pollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // stopping
            }
        }
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var before = _snapshot;
        var apps = await GetAsync(new Uri(marathon, "v2/apps?embed=apps.tasks&label=DCOS_SERVICE_NAME"), cancellationToken).ConfigureAwait(false);
        var services = apps is null ? null : ServiceStateParser.MarathonServices(apps);
        List<FrameworkEntry>? frameworks = null;
        if (await leader.CurrentAsync(cancellationToken).ConfigureAwait(false) is { } master)
        {
            var state = await GetAsync(new Uri(master, "master/state"), cancellationToken).ConfigureAwait(false);
            frameworks = state is null ? null : ServiceStateParser.Frameworks(state);
        }

        var now = time.GetUtcNow();
        _snapshot = new ServiceSnapshot(
            services ?? before.MarathonServices, services is null ? before.MarathonAt : now,
            frameworks ?? before.Frameworks, frameworks is null ? before.MesosAt : now);
        if (services is null || frameworks is null)
        {
            AdminRouterLog.ServiceCacheReadFailed(log, services is null ? "Marathon /v2/apps" : "the master's /master/state");
        }

        Interlocked.Increment(ref _refreshes);
        Refreshed?.Invoke();
    }

    private async Task<string?> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false) : null;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _wanted.Dispose();
}
