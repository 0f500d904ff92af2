namespace Minuet.Native.Netlink.Nfqueue;

/// <summary>How to bind a queue: how much of each packet to copy, how long the kernel queue may grow, fail-open.</summary>
public sealed record NfqueueOptions
{
    /// <summary>Bytes of each packet copied to us: IPv4 + TCP headers with options fit in 128.</summary>
    public uint CopyRange { get; init; } = 128;

    /// <summary>Packets the kernel holds waiting for verdicts before it drops (or, fail-open, accepts) new ones.</summary>
    public uint MaxQueueLength { get; init; } = 4096;

    /// <summary>NFQA_CFG_F_FAIL_OPEN: when the queue is full, accept packets instead of dropping them.</summary>
    public bool FailOpen { get; init; }

    /// <summary>Kernel receive buffer for the queue socket (SO_RCVBUFFORCE): bursts of SYNs wait here.</summary>
    public int ReceiveBufferBytes { get; init; } = 8 * 1024 * 1024;
}
