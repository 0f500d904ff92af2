using Minuet.ControlPlane.Agent.Docker;

namespace Minuet.ControlPlane.Tests.Docker;

public sealed class DockerStreamDemuxerTests
{
    private static byte[] Frame(byte stream, string text)
    {
        var payload = System.Text.Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        frame[0] = stream;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    [Fact]
    public async Task CopyAsync_InterleavedFrames_SplitIntoStdoutAndStderr()
    {
        var source = new MemoryStream([.. Frame(1, "out1\n"), .. Frame(2, "err1\n"), .. Frame(1, "out2\n")]);
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();

        await DockerStreamDemuxer.CopyAsync(source, stdout, stderr, CancellationToken.None);

        Assert.Equal("out1\nout2\n", System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("err1\n", System.Text.Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Fact]
    public async Task CopyAsync_TruncatedLastFrame_WritesWhatArrived()
    {
        var whole = Frame(1, "complete\n");
        var cut = Frame(2, "partial-line");
        var source = new MemoryStream([.. whole, .. cut.AsSpan(0, 8 + 4)]);
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();

        await DockerStreamDemuxer.CopyAsync(source, stdout, stderr, CancellationToken.None);

        Assert.Equal("complete\n", System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("part", System.Text.Encoding.UTF8.GetString(stderr.ToArray()));
    }
}
