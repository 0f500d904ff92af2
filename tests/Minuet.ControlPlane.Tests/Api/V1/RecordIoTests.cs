using System.Buffers;
using System.Text;
using Minuet.ControlPlane.Api.V1;

namespace Minuet.ControlPlane.Tests.Api.V1;

public class RecordIoTests
{
    private const string Heartbeat = """{"type":"HEARTBEAT"}""";

    [Fact]
    public void Frame_Heartbeat_IsByteLengthNewlinePayload()
    {
        Assert.Equal("20\n" + Heartbeat, Encoding.UTF8.GetString(RecordIo.Frame(Encoding.UTF8.GetBytes(Heartbeat))));
    }

    [Fact]
    public void Frame_MultiByteCharacters_CountsBytesNotCharacters()
    {
        var payload = Encoding.UTF8.GetBytes("""{"m":"é"}""");
        Assert.StartsWith("10\n", Encoding.UTF8.GetString(RecordIo.Frame(payload)), StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_JoinedRecords_ReadsEachInOrder()
    {
        var data = Concat(Record(Heartbeat), Record("""{"type":"ERROR","error":{"message":"x"}}"""), Record(Heartbeat));
        var buffer = new ReadOnlySequence<byte>(data);
        var read = new List<string>();
        while (RecordIo.TryRead(ref buffer, 1024, out var payload, out var error))
        {
            Assert.Null(error);
            read.Add(Encoding.UTF8.GetString(payload.ToArray()));
        }

        Assert.Equal([Heartbeat, """{"type":"ERROR","error":{"message":"x"}}""", Heartbeat], read);
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void TryRead_EveryPrefixOfTwoRecords_NeedsMoreUntilWholeAndNeverErrs()
    {
        var data = Concat(Record(Heartbeat), Record("""{"type":"RESCIND"}"""));
        int first = Record(Heartbeat).Length;
        for (int cut = 0; cut <= data.Length; cut++)
        {
            var buffer = new ReadOnlySequence<byte>(data, 0, cut);
            int records = 0;
            while (RecordIo.TryRead(ref buffer, 1024, out _, out var error))
            {
                records++;
                Assert.Null(error);
            }

            Assert.Equal(cut < first ? 0 : cut < data.Length ? 1 : 2, records);
        }
    }

    [Fact]
    public void TryRead_RecordSplitOverManySegments_ReadsWhole()
    {
        // Proxies re-chunk: a record may arrive one byte per read.
        var data = Record(Heartbeat);
        var first = new Segment(data.AsMemory(0, 1));
        var last = first;
        for (int i = 1; i < data.Length; i++)
        {
            last = last.Append(data.AsMemory(i, 1));
        }

        var buffer = new ReadOnlySequence<byte>(first, 0, last, 1);
        Assert.True(RecordIo.TryRead(ref buffer, 1024, out var payload, out _));
        Assert.Equal(Heartbeat, Encoding.UTF8.GetString(payload.ToArray()));
    }

    [Theory]
    [InlineData("x1\n{}", "not a decimal number")]
    [InlineData("0\n", "record length is 0")]
    [InlineData("\n{}", "empty record length prefix")]
    [InlineData("99999999999\n", "longer than 10")]
    [InlineData("2000\n", "larger than the limit")]
    public void TryRead_MalformedPrefix_IsAnErrorNotMoreData(string text, string reason)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text));
        Assert.False(RecordIo.TryRead(ref buffer, 1024, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    private static byte[] Record(string json) => RecordIo.Frame(Encoding.UTF8.GetBytes(json));

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
