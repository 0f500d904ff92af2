using Minuet.DataPlane.Dns.Answers;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Tests.Dns.Answers;

public class DnsResponderTests
{
    private static readonly DnsAnswerIndex Index = DnsAnswerCompiler.Compile(TestRecordSets.Small());

    private static (DnsResponse Response, ParsedMessage? Message, byte[] Bytes) Ask(
        byte[] query, bool tcp = false, bool forwarding = true, uint random = 0, DnsAnswerIndex? index = null)
    {
        var output = new byte[ushort.MaxValue + 16];
        var response = DnsResponder.Respond(index ?? Index, query, output, tcp, forwarding, random);
        if (response.Kind != DnsResponseKind.Reply)
        {
            return (response, null, []);
        }

        var bytes = output.AsSpan(0, response.Length).ToArray();
        return (response, DnsTestMessages.Parse(bytes), bytes);
    }

    private static ParsedMessage AskMessage(string name, DnsRecordType type, int? edns = null, bool tcp = false) =>
        Ask(DnsTestMessages.Query(name, type, ednsSize: edns), tcp).Message!;

    [Fact]
    public void Respond_KnownA_IsAuthoritativeWithAllAddressesAndTtl()
    {
        var m = AskMessage("web.marathon.mesos", DnsRecordType.A);
        Assert.Equal(DnsRcode.NoError, m.Rcode);
        Assert.True(m.Aa);
        Assert.True(m.Ra);
        Assert.True(m.Rd);
        Assert.Equal(0x1234, m.Header.Id);
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], m.Answers.Select(a => a.Data).Order());
        Assert.All(m.Answers, a => Assert.Equal(60u, a.Ttl));
        Assert.All(m.Answers, a => Assert.Equal("web.marathon.mesos.", a.Name, ignoreCase: true));
    }

    [Fact]
    public void Respond_MixedCaseQuestion_IsEchoedAsSentAndMatched()
    {
        var m = AskMessage("WeB.MARATHON.mesos", DnsRecordType.A);
        Assert.Equal("WeB.MARATHON.mesos.", m.Questions.Single().Name);
        Assert.Equal(3, m.Answers.Count);
    }

    [Fact]
    public void Respond_DifferentRandom_RotatesAnswerOrder()
    {
        var query = DnsTestMessages.Query("web.marathon.mesos", DnsRecordType.A);
        var firsts = Enumerable.Range(0, 3).Select(r => Ask(query, random: (uint)r).Message!.Answers[0].Data).ToHashSet();
        Assert.Equal(3, firsts.Count);
    }

    [Fact]
    public void Respond_UnknownName_IsNxDomainWithZoneSoa()
    {
        var m = AskMessage("nope.marathon.mesos", DnsRecordType.A);
        Assert.Equal(DnsRcode.NxDomain, m.Rcode);
        Assert.True(m.Aa);
        Assert.Empty(m.Answers);
        var soa = Assert.Single(m.Authority);
        Assert.Equal(DnsRecordType.Soa, soa.Type);
        Assert.Equal("mesos.", soa.Name);
        Assert.Equal("ns1.mesos. root.ns1.mesos. 1700000000 60 600 86400 5", soa.Data);
    }

    [Theory]
    [InlineData(60, 5, 5u)]
    [InlineData(60, 0, 0u)]
    [InlineData(3, 30, 3u)]     // never longer than the names' own TTL
    public void Respond_NegativeAnswer_SoaTtlAndMinimumAreTheNegativeTtl(int ttl, int negativeTtl, uint expected)
    {
        var zone = TestRecordSets.Zone with { Ttl = ttl, NegativeTtl = negativeTtl };
        var index = DnsAnswerCompiler.Compile(new DnsRecordSet(zone, TestRecordSets.Small().Names));
        foreach (var (name, type) in new[] { ("nope.marathon.mesos", DnsRecordType.A), ("_nope._tcp.marathon.mesos", DnsRecordType.Srv), ("web.marathon.mesos", DnsRecordType.Aaaa) })
        {
            var m = Ask(DnsTestMessages.Query(name, type), index: index).Message!;
            var soa = Assert.Single(m.Authority);
            Assert.Equal(expected, soa.Ttl);
            Assert.EndsWith($" 60 600 86400 {expected}", soa.Data, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("web.marathon.mesos", (int)DnsRecordType.Aaaa)]
    [InlineData("web.marathon.mesos", (int)DnsRecordType.Txt)]
    [InlineData("web.marathon.mesos", (int)DnsRecordType.Soa)]
    [InlineData("web.marathon.mesos", (int)DnsRecordType.Srv)]
    [InlineData("marathon.mesos", (int)DnsRecordType.A)]          // empty non-terminal (RFC 8020)
    [InlineData("slave.mesos", (int)DnsRecordType.A)]             // empty non-terminal above canonical names
    [InlineData("v6.marathon.mesos", (int)DnsRecordType.A)]
    public void Respond_KnownNameOtherType_IsNoDataWithSoa(string name, int type)
    {
        var m = AskMessage(name, (DnsRecordType)type);
        Assert.Equal(DnsRcode.NoError, m.Rcode);
        Assert.True(m.Aa);
        Assert.Empty(m.Answers);
        Assert.Equal(DnsRecordType.Soa, Assert.Single(m.Authority).Type);
    }

    [Fact]
    public void Respond_ApexSoa_IsInAnswerSection()
    {
        var m = AskMessage("mesos", DnsRecordType.Soa);
        var soa = Assert.Single(m.Answers);
        Assert.Equal("mesos.", soa.Name);
        Assert.Equal(60u, soa.Ttl);
        Assert.Equal("ns1.mesos. root.ns1.mesos. 1700000000 60 600 86400 5", soa.Data);
        Assert.Empty(m.Authority);
    }

    [Fact]
    public void Respond_ApexNs_AnswersNameServerWithItsAddress()
    {
        var m = AskMessage("MESOS", DnsRecordType.Ns);
        Assert.Equal("ns1.mesos.", Assert.Single(m.Answers).Data);
        var glue = Assert.Single(m.Additional);
        Assert.Equal(("ns1.mesos.", DnsRecordType.A, "10.1.0.53"), (glue.Name, glue.Type, glue.Data));
    }

    [Fact]
    public void Respond_ThisDcosDirectory_IsAuthoritativeWithVipTtl()
    {
        var m = AskMessage("www.l4lb.thisdcos.directory", DnsRecordType.A);
        var a = Assert.Single(m.Answers);
        Assert.Equal(("11.0.0.1", 5u), (a.Data, a.Ttl));
        Assert.True(m.Aa);

        var nx = AskMessage("nope.l4lb.thisdcos.directory", DnsRecordType.A);
        Assert.Equal(DnsRcode.NxDomain, nx.Rcode);
        Assert.Equal("thisdcos.directory.", Assert.Single(nx.Authority).Name);
        Assert.Equal(DnsRecordType.Soa, Assert.Single(AskMessage("thisdcos.directory", DnsRecordType.Soa).Answers).Type);
    }

    [Fact]
    public void Respond_Srv_HasTargetsAndTheirAddressesInAdditional()
    {
        var m = AskMessage("_web._tcp.marathon.mesos", DnsRecordType.Srv);
        Assert.Equal(
            ["0 1 31000 web-abcde-s1.marathon.slave.mesos.", "0 1 31001 web-fghij-s2.marathon.slave.mesos."],
            m.Answers.Select(a => a.Data).Order());
        Assert.Equal(
            ["web-abcde-s1.marathon.slave.mesos. 192.168.0.1", "web-fghij-s2.marathon.slave.mesos. 192.168.0.2"],
            m.Additional.Select(a => $"{a.Name} {a.Data}").Order());
    }

    [Fact]
    public void Respond_Any_ReturnsEveryRecordOfTheName()
    {
        var any = AskMessage("web.marathon.mesos", DnsRecordType.Any);
        Assert.Equal(3, any.Answers.Count);
        Assert.Equal(DnsRecordType.Any, any.Questions.Single().Type);
        var apex = AskMessage("mesos", DnsRecordType.Any);
        Assert.Contains(apex.Answers, a => a.Type == DnsRecordType.Soa);
        Assert.Contains(apex.Answers, a => a.Type == DnsRecordType.Ns);
    }

    [Theory]
    [InlineData(null, false, 512)]
    [InlineData(512, false, 512)]
    [InlineData(600, false, 600)]
    [InlineData(1232, false, 1232)]
    [InlineData(4096, false, 4096)]
    [InlineData(65000, false, 4096)]
    [InlineData(null, true, 65535)]
    public void Respond_LargeAnswer_FitsTheTransportLimitAndSetsTcOnlyWhenCut(int? edns, bool tcp, int limit)
    {
        // 60 A records are ~1 KB: cut under 512 and 600, whole above.
        var (response, m, _) = Ask(DnsTestMessages.Query("big.marathon.mesos", DnsRecordType.A, ednsSize: edns), tcp);
        Assert.True(response.Length <= limit);
        Assert.Equal(m!.Answers.Count < 60, m.Tc);
        Assert.Equal(limit < 1100, m.Tc);
        Assert.Equal(edns is not null, m.Edns is not null);
        if (m.Edns is { } opt)
        {
            Assert.Equal(4096, opt.UdpPayloadSize);
        }
    }

    [Fact]
    public void Respond_SrvOverLimit_DropsAdditionalsBeforeAnswers()
    {
        var index = DnsAnswerCompiler.Compile(TestRecordSets.Large(1, 20));
        var query = DnsTestMessages.Query("_app0._tcp.marathon.mesos", DnsRecordType.Srv, ednsSize: 4096);
        var full = Ask(query, index: index).Message!;
        Assert.Equal((20, 20, false), (full.Answers.Count, full.Additional.Count, full.Tc));

        // Somewhere between "answers only" and "everything": answers complete, additionals partial, no TC.
        var mid = Ask(DnsTestMessages.Query("_app0._tcp.marathon.mesos", DnsRecordType.Srv, ednsSize: 1300), index: index).Message!;
        Assert.Equal(20, mid.Answers.Count);
        Assert.InRange(mid.Additional.Count, 0, 19);
        Assert.False(mid.Tc);

        var (response, small, _) = Ask(DnsTestMessages.Query("_app0._tcp.marathon.mesos", DnsRecordType.Srv), index: index);
        Assert.True(response.Length <= 512);
        Assert.True(small!.Tc);
        Assert.Empty(small.Additional);
        Assert.InRange(small.Answers.Count, 1, 19);
    }

    [Fact]
    public void Compile_LargeSet_EveryNameAnswersExactlyItsRecords()
    {
        var records = TestRecordSets.Large(300, 3);
        var index = DnsAnswerCompiler.Compile(records);
        foreach (var (name, data) in records.Names)
        {
            var type = data.Srv.Length > 0 ? DnsRecordType.Srv : DnsRecordType.A;
            var m = Ask(DnsTestMessages.Query(name, type, ednsSize: 4096), index: index).Message!;
            Assert.Equal(DnsRcode.NoError, m.Rcode);
            var expected = type == DnsRecordType.Srv
                ? data.Srv.Select(v => $"0 1 {v.Port} {v.Target}.")
                : data.A.Select(ip => ip.ToString());
            Assert.Equal(expected.Order(), m.Answers.Select(a => a.Data).Order());
        }
    }

    [Fact]
    public void Respond_OutsideZones_ForwardsOrRefuses()
    {
        var query = DnsTestMessages.Query("example.org", DnsRecordType.A);
        Assert.Equal(DnsResponseKind.Forward, Ask(query).Response.Kind);
        var refused = Ask(query, forwarding: false).Message!;
        Assert.Equal(DnsRcode.Refused, refused.Rcode);
        Assert.False(refused.Ra);
        Assert.Equal("example.org.", refused.Questions.Single().Name);
    }

    [Fact]
    public void Respond_ResponseOrShortPacket_IsDropped()
    {
        var q = DnsTestMessages.Query("web.marathon.mesos", DnsRecordType.A);
        q[2] |= 0x80;
        Assert.Equal(DnsResponseKind.Drop, Ask(q).Response.Kind);
        Assert.Equal(DnsResponseKind.Drop, Ask([0x12, 0x34, 0x01]).Response.Kind);
    }

    [Fact]
    public void Respond_Malformed_IsFormErrWithId()
    {
        var q = DnsTestMessages.Query("web.marathon.mesos", DnsRecordType.A, id: 0xABCD);
        var m = Ask(q[..20]).Message!;
        Assert.Equal((DnsRcode.FormErr, (ushort)0xABCD), (m.Rcode, m.Header.Id));
        Assert.True(m.Header.IsResponse);
    }

    [Fact]
    public void Respond_NotifyOpcode_IsNotImp()
    {
        var q = DnsTestMessages.Query("web.marathon.mesos", DnsRecordType.A);
        q[2] = (byte)((q[2] & 0x87) | (4 << 3));
        var m = Ask(q).Message!;
        Assert.Equal(DnsRcode.NotImp, m.Rcode);
        Assert.Equal(DnsOpcode.Notify, m.Header.Opcode);
    }

    [Fact]
    public void Respond_EdnsVersion1_IsBadVers()
    {
        var m = Ask(DnsTestMessages.Query("web.marathon.mesos", DnsRecordType.A, ednsSize: 1232, ednsVersion: 1)).Message!;
        Assert.Equal(DnsRcode.BadVers, m.Rcode);
        Assert.Empty(m.Answers);
    }

    [Fact]
    public void Respond_ChaosClassInZone_IsRefused()
    {
        Assert.Equal(DnsRcode.Refused, Ask(DnsTestMessages.Query("web.marathon.mesos", DnsRecordType.A, qclass: 3)).Message!.Rcode);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(255)]
    public void Respond_KnownName_EchoesTheQuestionClassAsSent(int qclass)
    {
        var m = Ask(DnsTestMessages.Query("web.marathon.mesos", DnsRecordType.A, qclass: (ushort)qclass)).Message!;
        Assert.Equal(DnsRcode.NoError, m.Rcode);
        Assert.Equal((ushort)qclass, m.Questions.Single().Class);
        Assert.Equal(3, m.Answers.Count);
    }

    [Fact]
    public void Respond_BeforeFirstSnapshot_IsServFailNotNxDomain()
    {
        var notReady = DnsAnswerCompiler.Compile(DnsRecordSet.Empty(new DnsZoneInfo()), ready: false);
        var m = Ask(DnsTestMessages.Query("web.marathon.mesos", DnsRecordType.A), index: notReady).Message!;
        Assert.Equal(DnsRcode.ServFail, m.Rcode);
    }
}
