using Minuet.DataPlane.L4lb.Kernel;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.Native.Netlink.Conntrack;

namespace Minuet.DataPlane.Tests.L4lb.Kernel;

public class RetransmittedSynTests
{
    private static readonly FlowTuple Flow = new(0xC6120A01u, 40000, 0xC6130001u, 80);

    private static ConntrackEntryInfo Existing(TcpConntrackState state, uint replySource = 0xC6120105u, ushort replyPort = 8080) =>
        new(ConntrackEventType.New, new ConntrackTuple(0xC6120A01u, 0xC6130001u, 40000, 80), new ConntrackTuple(replySource, 0xC6120A01u, replyPort, 40000), 0, state, 1, 30, 0);

    [Theory]
    [InlineData(TcpConntrackState.SynSent)]
    [InlineData(TcpConntrackState.SynRecv)]
    public void KeepsEntry_HandshakeInProgressNatted_Kept(TcpConntrackState state) =>
        Assert.True(RetransmittedSyn.KeepsEntry(Existing(state), Flow));

    [Theory]
    [InlineData(TcpConntrackState.TimeWait)]
    [InlineData(TcpConntrackState.Close)]
    [InlineData(TcpConntrackState.Established)]
    public void KeepsEntry_EarlierFlowOnTheSamePort_Replaced(TcpConntrackState state) =>
        Assert.False(RetransmittedSyn.KeepsEntry(Existing(state), Flow));

    [Fact]
    public void KeepsEntry_NotNatted_Replaced() =>
        Assert.False(RetransmittedSyn.KeepsEntry(Existing(TcpConntrackState.SynSent, 0xC6130001u, 80), Flow));
}
