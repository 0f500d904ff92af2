namespace Minuet.Cli.Cluster;

/// <summary>Waits until a just-started child answers its ready URL, or exits, or the time is up.</summary>
internal static class ReadyProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Null once ready (or when <paramref name="cancellationToken"/> fires); otherwise why not.</summary>
    public static async Task<string?> WaitAsync(ChildProcess child, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + Timeout;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (child.HasExited)
            {
                return $"{child.Member.Name} {ExitStatus.Describe(child.ExitCode)} while starting. Last log lines ({child.LogPath}):\n{child.Tail(15)}";
            }

            if (await IsReadyAsync(http, child.Member.ReadyUrl, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            if (DateTime.UtcNow > deadline)
            {
                return $"{child.Member.Name} did not answer {child.Member.ReadyUrl} within {Timeout.TotalSeconds:0} s (log: {child.LogPath})";
            }

            try
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        return null;
    }

    private static async Task<bool> IsReadyAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        if (url.Scheme == "unix")
        {
            using var engine = new Docker.DockerEngine(url.AbsolutePath, TimeSpan.FromSeconds(2));
            return await engine.PingAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
