using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Minuet.ControlPlane.Api.V1;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.MasterLink;
using Minuet.Coordination;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>
/// The scheduler's master link follows the leader with the shared <see cref="LeaderLocator"/>: a standby's 307 on
/// SUBSCRIBE is followed, and a leader that stops answering is replaced by whichever master
/// <c>/master/redirect</c> says leads now. Masters here are a scripted handler, so who leads is exact.
/// </summary>
public class HttpMasterLinkLeaderTests
{
    private static readonly Uri A = new("http://10.9.0.1:5050/");
    private static readonly Uri B = new("http://10.9.0.2:5050/");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunAsync_StandbyRedirectsSubscribe_SubscribesAtTheLeaderItNames()
    {
        var masters = new ScriptedMasters { Leader = B };
        using var locator = new LeaderLocator([A, B], handler: masters);
        locator.Redirected(B, "//" + A.Authority); // A led last; it stands by now
        using var http = new HttpClient(masters, disposeHandler: false);
        var link = new HttpMasterLink(http, locator);
        var subscribed = new TaskCompletionSource<SubscribedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();

        var run = link.RunAsync(Subscribe, e => Deliver(e, subscribed), () => { }, stop.Token);
        var first = await subscribed.Task.WaitAsync(Patience);
        await stop.CancelAsync();
        await StoppedAsync(run);

        Assert.Equal("fw-" + B.Host, first.FrameworkId);
        Assert.Equal(B, locator.Leader);
        Assert.Contains((A, "/api/v1/scheduler"), masters.Asked);
        Assert.Contains((B, "/api/v1/scheduler"), masters.Asked);
    }

    [Fact]
    public async Task RunAsync_LeaderStopsAnswering_FindsTheNewLeaderThroughMasterRedirectAndSubscribesThere()
    {
        var masters = new ScriptedMasters { Leader = B };
        using var locator = new LeaderLocator([A, B], new LeaderLocatorOptions { MinBackoff = TimeSpan.FromMilliseconds(10) }, masters);
        using var http = new HttpClient(masters, disposeHandler: false);
        var link = new HttpMasterLink(http, locator);
        var atB = new TaskCompletionSource<SubscribedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var atA = new TaskCompletionSource<SubscribedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();

        var run = link.RunAsync(Subscribe, e => Deliver(e, atB.Task.IsCompleted ? atA : atB), () => { }, stop.Token);
        Assert.Equal("fw-" + B.Host, (await atB.Task.WaitAsync(Patience)).FrameworkId);

        // B dies (its stream ends, nothing answers there any more) and A wins the election.
        masters.Leader = A;
        masters.Down.TryAdd(B, true);
        masters.EndStreams();
        var second = await atA.Task.WaitAsync(Patience);
        await stop.CancelAsync();
        await StoppedAsync(run);

        Assert.Equal("fw-" + A.Host, second.FrameworkId);
        Assert.Equal(A, locator.Leader);
        Assert.Contains((A, LeaderLocatorOptionsPath), masters.Asked);
    }

    private static async Task StoppedAsync(Task run)
    {
        try
        {
            await run.WaitAsync(Patience);
        }
        catch (OperationCanceledException)
        {
            // RunAsync ends with the cancellation it was given.
        }
    }

    private const string LeaderLocatorOptionsPath = "/master/redirect";

    private static SubscribeRequest Subscribe() => new() { Name = "marathon", Role = "*", Hostname = "test" };

    private static Task Deliver(SchedulerEvent e, TaskCompletionSource<SubscribedEvent> subscribed)
    {
        if (e.Subscribed is { } s)
        {
            subscribed.TrySetResult(s);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Masters as Minuet's answer: the leader takes SUBSCRIBE (a stream with one SUBSCRIBED event, open until
    /// <see cref="EndStreams"/>) and names itself on <c>/master/redirect</c>; the others answer 307 to it; a master in
    /// <see cref="Down"/> refuses connections.
    /// </summary>
    private sealed class ScriptedMasters : HttpMessageHandler
    {
        private TaskCompletionSource _streamsEnd = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile Uri? Leader;

        public ConcurrentDictionary<Uri, bool> Down { get; } = new();

        public ConcurrentBag<(Uri Master, string Path)> Asked { get; } = [];

        public void EndStreams() => Interlocked.Exchange(ref _streamsEnd, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var master = new Uri(request.RequestUri!.GetLeftPart(UriPartial.Authority) + "/");
            string path = request.RequestUri.AbsolutePath;
            Asked.Add((master, path));
            if (Down.ContainsKey(master))
            {
                throw new HttpRequestException("Connection refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
            }

            var leader = Leader!;
            if (master != leader || path == LeaderLocatorOptionsPath)
            {
                var redirect = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
                redirect.Headers.Location = new Uri("//" + leader.Authority + path, UriKind.Relative);
                return redirect;
            }

            var ok = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(await StreamAsync(master, cancellationToken)) };
            ok.Headers.Add(V1MediaTypes.StreamIdHeader, "stream-" + master.Host);
            return ok;
        }

        private Task<Stream> StreamAsync(Uri master, CancellationToken cancellationToken)
        {
            var e = new V1Event { Type = "SUBSCRIBED", Subscribed = new V1Subscribed { FrameworkId = new V1Id("fw-" + master.Host), HeartbeatIntervalSeconds = 15 } };
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(e, V1JsonContext.Default.V1Event);
            byte[] record = [.. Encoding.ASCII.GetBytes(json.Length + "\n"), .. json];
            return Task.FromResult<Stream>(new OpenStream(record, _streamsEnd.Task, cancellationToken));
        }
    }

    /// <summary>Gives its bytes, then blocks reads until <c>end</c> completes (the master's stream stays open).</summary>
    private sealed class OpenStream(byte[] bytes, Task end, CancellationToken cancellationToken) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken token = default)
        {
            if (_position < bytes.Length)
            {
                int n = Math.Min(buffer.Length, bytes.Length - _position);
                bytes.AsMemory(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, cancellationToken);
            await end.WaitAsync(linked.Token);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken token) => ReadAsync(buffer.AsMemory(offset, count), token).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
