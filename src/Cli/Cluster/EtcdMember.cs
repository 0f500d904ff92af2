namespace Minuet.Cli.Cluster;

/// <summary>One member of the etcd cluster <c>up --masters N</c> runs on 127.0.0.1: its name and client and peer ports.</summary>
internal sealed record EtcdMember(string Name, int ClientPort, int PeerPort)
{
    public string ClientUrl => $"http://127.0.0.1:{ClientPort}";

    public string PeerUrl => $"http://127.0.0.1:{PeerPort}";
}
