using Minuet.Native.Interop;

namespace Minuet.Native.Netlink;

internal sealed partial class NetlinkSocket
{
    /// <summary>Subscribes to a multicast group (conntrack events, for example).</summary>
    public NativeResult JoinGroup(uint group) =>
        SetInt(Interop.Interop.SOL_NETLINK, Interop.Interop.NETLINK_ADD_MEMBERSHIP, (int)group, "netlink join group");

    public NativeResult LeaveGroup(uint group) =>
        SetInt(Interop.Interop.SOL_NETLINK, Interop.Interop.NETLINK_DROP_MEMBERSHIP, (int)group, "netlink leave group");

    /// <summary>
    /// Sets the kernel receive buffer. Tries SO_RCVBUFFORCE first (root may exceed rmem_max; NFQUEUE bursts and
    /// event storms need it), then falls back to SO_RCVBUF.
    /// </summary>
    public NativeResult SetReceiveBufferSize(int bytes)
    {
        var forced = SetInt(Interop.Interop.SOL_SOCKET, Interop.Interop.SO_RCVBUFFORCE, bytes, "netlink set SO_RCVBUFFORCE");
        return forced.IsSuccess ? forced : SetInt(Interop.Interop.SOL_SOCKET, Interop.Interop.SO_RCVBUF, bytes, "netlink set SO_RCVBUF");
    }

    /// <summary>NETLINK_NO_ENOBUFS: stop reporting overruns (only for readers that can afford to miss messages silently).</summary>
    public NativeResult SetNoEnobufs(bool enabled) =>
        SetInt(Interop.Interop.SOL_NETLINK, Interop.Interop.NETLINK_NO_ENOBUFS, enabled ? 1 : 0, "netlink set NETLINK_NO_ENOBUFS");

    /// <summary>NETLINK_CAP_ACK: error replies carry only the request's header, not the whole request.</summary>
    public NativeResult SetCapAck(bool enabled) =>
        SetInt(Interop.Interop.SOL_NETLINK, Interop.Interop.NETLINK_CAP_ACK, enabled ? 1 : 0, "netlink set NETLINK_CAP_ACK");

    /// <summary>Reads back an int socket option (SO_RCVBUF, for example).</summary>
    public unsafe NativeResult GetInt(int level, int option, out int value)
    {
        int result = 0;
        uint length = sizeof(int);
        int rc = Interop.Interop.GetSockOpt(_handle, level, option, &result, &length);
        value = result;
        return rc == 0 ? NativeResult.Success("netlink getsockopt") : NativeResult.FromLastError("netlink getsockopt");
    }

    private unsafe NativeResult SetInt(int level, int option, int value, string operation)
    {
        int rc = Interop.Interop.SetSockOpt(_handle, level, option, &value, sizeof(int));
        return rc == 0 ? NativeResult.Success(operation) : NativeResult.FromLastError(operation);
    }
}
