namespace Minuet.Native.Netlink.Conntrack;

/// <summary>
/// What to create for one balanced connection: the original tuple (client → VIP), the reply tuple the kernel
/// needs alongside it, the DNAT target (backend address and port), the timeout and the TCP state.
/// </summary>
public readonly record struct ConntrackNatEntry(
    ConntrackTuple Original,
    ConntrackTuple Reply,
    uint NatAddress,
    ushort NatPort,
    uint TimeoutSeconds,
    TcpConntrackState TcpState = TcpConntrackState.SynSent,
    byte TcpFlags = ConntrackNatEntry.SackPermittedAndLiberal)
{
    /// <summary>
    /// IP_CT_TCP_FLAG_SACK_PERM | IP_CT_TCP_FLAG_BE_LIBERAL for both directions, as `conntrack -I` sets them: the
    /// entry never saw the handshake's window options, so window tracking must not judge the flow by them.
    /// </summary>
    public const byte SackPermittedAndLiberal = 0x02 | 0x08;

    /// <summary>
    /// A DNAT of <paramref name="original"/> (client → VIP) to the backend. The reply tuple is the un-NATed
    /// inverse (VIP → client), exactly what `conntrack -I --dst-nat` sends; the kernel requires a reply tuple and
    /// rewrites it to backend → client when it sets up the NAT.
    /// </summary>
    public static ConntrackNatEntry Dnat(ConntrackTuple original, uint backendAddress, ushort backendPort, uint timeoutSeconds) =>
        new(original, original.Inverse(), backendAddress, backendPort, timeoutSeconds);
}
