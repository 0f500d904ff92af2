using dotnet_etcd;
using Grpc.Core;

namespace Minuet.ControlPlane.Coordination;

/// <summary>
/// One gRPC client for an etcd cluster (<c>--etcd-endpoints http://127.0.0.1:2379,...</c>), plus the parsing of
/// that flag. Every call made through it carries a deadline: without quorum etcd queues writes instead of
/// failing them, and a caller that waits forever can neither step down nor answer 503.
/// </summary>
internal sealed class EtcdConnection : IDisposable
{
    private EtcdConnection(EtcdClient client, IReadOnlyList<Uri> endpoints, TimeSpan operationTimeout)
    {
        Client = client;
        Endpoints = endpoints;
        OperationTimeout = operationTimeout;
    }

    public EtcdClient Client { get; }

    public IReadOnlyList<Uri> Endpoints { get; }

    /// <summary>How long one request may take before it counts as failed.</summary>
    public TimeSpan OperationTimeout { get; }

    public DateTime Deadline => DateTime.UtcNow + OperationTimeout;

    public static EtcdConnection Open(IReadOnlyList<Uri> endpoints, TimeSpan? operationTimeout = null)
    {
        StoreThreadReserve.Ensure();
        var text = string.Join(',', endpoints.Select(e => $"{e.Scheme}://{e.Host}:{e.Port}"));
        var client = new EtcdClient(text, configureChannelOptions: o => o.Credentials = ChannelCredentials.Insecure);
        return new EtcdConnection(client, endpoints, operationTimeout ?? TimeSpan.FromSeconds(2));
    }

    /// <summary>Parses <c>http://host:port,http://host:port</c>; every error names the flag and the bad entry.</summary>
    public static bool TryParseEndpoints(string flag, string? text, out IReadOnlyList<Uri> endpoints, out string? error)
    {
        endpoints = [];
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"{flag}: at least one endpoint is required, e.g. http://127.0.0.1:2379";
            return false;
        }

        var list = new List<Uri>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.IsDefaultPort || uri.AbsolutePath != "/")
            {
                error = $"{flag}: '{part}' is not an endpoint of the form http://host:port (TLS is not supported)";
                return false;
            }

            list.Add(uri);
        }

        if (list.Count == 0)
        {
            error = $"{flag}: at least one endpoint is required, e.g. http://127.0.0.1:2379";
            return false;
        }

        endpoints = list;
        return true;
    }

    public void Dispose() => Client.Dispose();
}
