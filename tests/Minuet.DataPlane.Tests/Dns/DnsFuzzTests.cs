using System.Buffers.Binary;
using System.Net.Sockets;
using Minuet.DataPlane.Dns.Answers;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Server;
using Minuet.DataPlane.Tests.Dns.Server;

namespace Minuet.DataPlane.Tests.Dns;

/// <summary>Mutated packets against the codec/answer path and the live server: no throw, well-formed replies, still answering.</summary>
public class DnsFuzzTests
{
    private static readonly DnsAnswerIndex Index = DnsAnswerCompiler.Compile(TestRecordSets.Small());

    private static List<byte[]> Seeds()
    {
        var seeds = new List<byte[]>
        {
            DnsTestMessages.Query("web.marathon.mesos", DnsRecordType.A),
            DnsTestMessages.Query("WEB.marathon.MESOS", DnsRecordType.A, ednsSize: 4096),
            DnsTestMessages.Query("_web._tcp.marathon.mesos", DnsRecordType.Srv, ednsSize: 1232),
            DnsTestMessages.Query("big.marathon.mesos", DnsRecordType.A),
            DnsTestMessages.Query("nope.marathon.mesos", DnsRecordType.Aaaa),
            DnsTestMessages.Query("mesos", DnsRecordType.Soa),
            DnsTestMessages.Query("mesos", DnsRecordType.Ns, ednsSize: 512),
            DnsTestMessages.Query("www.l4lb.thisdcos.directory", DnsRecordType.Any),
            DnsTestMessages.Query("example.org", DnsRecordType.A),
        };

        // A query carrying an answer record whose owner is a compression pointer to the question.
        var withPointer = DnsTestMessages.Query("web.marathon.mesos", DnsRecordType.A).ToList();
        withPointer[7] = 1;
        withPointer.AddRange(new byte[] { 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1 });
        seeds.Add([.. withPointer]);
        return seeds;
    }

    private static int Mutate(Random rng, byte[] packet, int length)
    {
        int ops = rng.Next(1, 5);
        for (int k = 0; k < ops; k++)
        {
            switch (rng.Next(7))
            {
                case 0 when length > 0:
                    packet[rng.Next(length)] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1 when length > 0:
                    packet[rng.Next(length)] = (byte)rng.Next(256);
                    break;
                case 2:
                    length = rng.Next(length + 1);
                    break;
                case 3:
                    int extra = Math.Min(rng.Next(1, 40), packet.Length - length);
                    rng.NextBytes(packet.AsSpan(length, extra));
                    length += extra;
                    break;
                case 4 when length >= 12:
                    BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4 + (2 * rng.Next(4))), (ushort)rng.Next(4));
                    break;
                case 5 when length >= 14:
                    int at = rng.Next(12, length - 1);
                    packet[at] = (byte)(0xC0 | rng.Next(4));
                    packet[at + 1] = (byte)rng.Next(256);
                    break;
                case 6 when length >= 4:
                    packet[2] = (byte)rng.Next(256);
                    packet[3] = (byte)rng.Next(256);
                    break;
            }
        }

        return length;
    }

    [Fact]
    public void Respond_MillionMutatedPackets_NeverThrowAndRepliesAreWellFormed()
    {
        var seeds = Seeds();
        var rng = new Random(20261122);
        var packet = new byte[700];
        var output = new byte[ushort.MaxValue + 64];
        int replies = 0, drops = 0, parsed = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            var seed = seeds[rng.Next(seeds.Count)];
            seed.CopyTo(packet, 0);
            int length = Mutate(rng, packet, seed.Length);
            bool tcp = (i % 7) == 0;
            var response = DnsResponder.Respond(Index, packet.AsSpan(0, length), output, tcp, (i % 3) != 0, (uint)i);
            if (response.Kind == DnsResponseKind.Drop)
            {
                drops++;
                Assert.True(length < DnsHeader.Size || (packet[2] & 0x80) != 0, "only short packets and responses are dropped");
                continue;
            }

            if (response.Kind == DnsResponseKind.Forward)
            {
                continue;
            }

            replies++;
            Assert.InRange(response.Length, DnsHeader.Size, tcp ? ushort.MaxValue : DnsResponder.MaxUdpResponse);
            Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(packet), BinaryPrimitives.ReadUInt16BigEndian(output));
            Assert.True((output[2] & 0x80) != 0);
            if (i % 97 == 0)
            {
                DnsTestMessages.Parse(output.AsSpan(0, response.Length));
                parsed++;
            }
        }

        Assert.True(replies > 100_000 && drops > 1_000 && parsed > 1_000, $"replies {replies}, drops {drops}, parsed {parsed}");
    }

    [Fact]
    public void MessageReader_RandomBytes_NeverThrows()
    {
        var rng = new Random(7);
        var packet = new byte[300];
        var name = new byte[256];
        for (int i = 0; i < 200_000; i++)
        {
            int length = rng.Next(packet.Length);
            rng.NextBytes(packet.AsSpan(0, length));
            var reader = new DnsMessageReader(packet.AsSpan(0, length));
            if (reader.TryReadHeader(out _) != DnsReadStatus.Done)
            {
                continue;
            }

            if (reader.TryReadQuestion(name, out _, out _, out _) != DnsReadStatus.Done)
            {
                continue;
            }

            for (int r = 0; r < 8 && reader.TryReadRecord(name, out _, out _) == DnsReadStatus.Done; r++)
            {
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LiveServer_MutatedPacketsOverUdpAndTcp_KeepsAnswering(bool batched)
    {
        await using var fx = await DnsServerFixture.StartAsync(new DnsServerOptions { BatchedUdp = batched, TcpIdleTimeout = TimeSpan.FromSeconds(1) });
        var seeds = Seeds();
        var rng = new Random(99);
        var packet = new byte[700];
        using (var udp = new Socket(SocketType.Dgram, ProtocolType.Udp))
        {
            udp.Connect(fx.Udp);
            // 500k per transport mode, 1M mutated packets over both runs of this theory.
            for (int i = 0; i < 500_000; i++)
            {
                var seed = seeds[rng.Next(seeds.Count)];
                seed.CopyTo(packet, 0);
                int length = Mutate(rng, packet, seed.Length);
                udp.Send(packet.AsSpan(0, length));
                if (i % 2_000 == 0)
                {
                    await Task.Delay(1);
                }
            }
        }

        for (int c = 0; c < 50; c++)
        {
            using var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await tcp.ConnectAsync(fx.Tcp);
            var garbage = new byte[rng.Next(1, 600)];
            rng.NextBytes(garbage);
            await tcp.SendAsync(garbage, SocketFlags.None);
        }

        // The flood may still be draining (and UDP may drop): ask like a resolver would, a few times.
        byte[]? reply = null;
        for (int attempt = 0; attempt < 5 && reply is null; attempt++)
        {
            reply = await DnsTestClient.UdpAsync(fx.Udp, DnsTestMessages.Query("web.marathon.mesos", DnsRecordType.A, id: 0x5151), timeoutMs: 2000);
        }

        var m = DnsTestMessages.Parse(reply!);
        Assert.Equal((ushort)0x5151, m.Header.Id);
        Assert.Equal(3, m.Answers.Count);
        var tcpReply = (await DnsTestClient.TcpAsync(fx.Tcp, [DnsTestMessages.Query("_web._tcp.marathon.mesos", DnsRecordType.Srv)]))[0];
        Assert.Equal(2, DnsTestMessages.Parse(tcpReply).Answers.Count);
        Assert.True(fx.Server.Metrics.TotalQueries > 10_000);
    }
}
