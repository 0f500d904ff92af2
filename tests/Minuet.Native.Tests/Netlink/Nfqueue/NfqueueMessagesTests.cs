using Minuet.Native.Netlink.Nfqueue;
using Minuet.Native.Tests.Support;

namespace Minuet.Native.Tests.Netlink.Nfqueue;

/// <summary>
/// Golden bytes derived by hand from linux/netfilter/nfnetlink_queue.h (struct nfqnl_msg_config_cmd,
/// nfqnl_msg_config_params packed to 5 bytes, nfqnl_msg_verdict_hdr), nfnetlink.h and netlink.h; x86-64 host order.
/// </summary>
public class NfqueueMessagesTests
{
    [Fact]
    public void TryBuildCommand_BindQueue50_IsConfigWithCmdAttribute()
    {
        // nlmsghdr {len 28, type QUEUE<<8|CONFIG = 0x0302, REQUEST|ACK, seq 9, pid 0}, nfgenmsg {AF_UNSPEC, v0, res_id htons(50)},
        // NFQA_CFG_CMD {len 8, type 1} {command BIND=1, pad, pf 0}.
        const string Golden = "1c 00 00 00 02 03 05 00 09 00 00 00 00 00 00 00 00 00 00 32 08 00 01 00 01 00 00 00";

        AssertBuilt(Golden, (b, out n) => NfqueueMessages.TryBuildCommand(b, 9, 50, NfqueueConstants.CmdBind, 0, out n));
    }

    [Fact]
    public void TryBuildCommand_PfBindInet_CarriesFamilyBigEndian()
    {
        const string Golden = "1c 00 00 00 02 03 05 00 01 00 00 00 00 00 00 00 00 00 00 00 08 00 01 00 03 00 00 02";

        AssertBuilt(Golden, (b, out n) => NfqueueMessages.TryBuildCommand(b, 1, 0, NfqueueConstants.CmdPfBind, 2, out n));
    }

    [Fact]
    public void TryBuildParameters_CopyPacket128FailOpen_PacksParamsAndFlags()
    {
        // NFQA_CFG_PARAMS {len 9} be32 128, u8 COPY_PACKET=2, 3 padding bytes; NFQA_CFG_QUEUE_MAXLEN be32 4096;
        // NFQA_CFG_FLAGS be32 FAIL_OPEN; NFQA_CFG_MASK be32 FAIL_OPEN.
        const string Golden = """
            38 00 00 00 02 03 05 00 02 00 00 00 00 00 00 00 00 00 00 32 09 00 02 00 00 00 00 80 02 00 00 00
            08 00 03 00 00 00 10 00 08 00 05 00 00 00 00 01 08 00 04 00 00 00 00 01
            """;

        AssertBuilt(Golden, (b, out n) => NfqueueMessages.TryBuildParameters(b, 2, 50, NfqueueConstants.CopyPacket, 128, 4096, NfqueueConstants.FlagFailOpen, NfqueueConstants.FlagFailOpen, out n));
    }

    [Fact]
    public void TryBuildVerdict_AcceptPacket7_IsVerdictHeaderWithoutAck()
    {
        // type QUEUE<<8|VERDICT = 0x0301, flags REQUEST only; NFQA_VERDICT_HDR {len 12, type 2} be32 NF_ACCEPT, be32 id 7.
        const string Golden = "20 00 00 00 01 03 01 00 01 00 00 00 00 00 00 00 00 00 00 32 0c 00 02 00 00 00 00 01 00 00 00 07";

        AssertBuilt(Golden, (b, out n) => NfqueueMessages.TryBuildVerdict(b, 1, 50, 7, NfqueueVerdict.Accept, out n));
    }

    [Fact]
    public void TryBuildVerdictBatch_DropUpTo9_UsesVerdictBatchType()
    {
        const string Golden = "20 00 00 00 03 03 01 00 04 00 00 00 00 00 00 00 00 00 00 33 0c 00 02 00 00 00 00 00 00 00 00 09";

        AssertBuilt(Golden, (b, out n) => NfqueueMessages.TryBuildVerdictBatch(b, 4, 51, 9, NfqueueVerdict.Drop, out n));
    }

    private delegate bool Build(Span<byte> buffer, out int written);

    private static void AssertBuilt(string golden, Build build)
    {
        var buffer = new byte[NfqueueMessages.MaxMessageSize];
        Array.Fill(buffer, (byte)0xee);

        Assert.True(build(buffer, out int written));

        Assert.Equal(Hex.Format(Hex.Parse(golden)), Hex.Format(buffer.AsSpan(0, written)));
    }
}
