using System.Net;
using Minuet.DataPlane.Sources;

namespace Minuet.DataPlane.Tests.Sources;

/// <summary>The URL source against an in-process handler: no socket is opened, no address from the documents is contacted.</summary>
public class StateUrlSourceTests
{
    private static readonly Uri Url = new("http://master.invalid:5050/master/state");

    [Fact]
    public async Task FetchOnce_GoodThenServerErrorThenTimeout_KeepsLastGoodAndCountsFetchErrors()
    {
        var f = new PipelineFixture();
        var handler = new ScriptedHandler();
        using var source = new StateUrlSource(Url, f.Pipeline, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200), handler);

        handler.Next = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(StateFixtures.Bytes(StateFixtures.Current)) };
        Assert.True(await source.FetchOnceAsync(default));
        var good = f.Store.Current;
        Assert.NotNull(good);

        handler.Next = _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        Assert.False(await source.FetchOnceAsync(default));
        Assert.Contains("503", f.Health.LastError!.Reason, StringComparison.Ordinal);

        handler.Delay = TimeSpan.FromSeconds(5);
        Assert.False(await source.FetchOnceAsync(default));
        Assert.Contains("timed out", f.Health.LastError!.Reason, StringComparison.Ordinal);

        Assert.Same(good, f.Store.Current);
        Assert.Equal(2, f.ErrorCount("fetch"));
        Assert.Equal(Url, handler.LastRequest);
    }

    [Fact]
    public void Origin_HidesUserInfo()
    {
        var f = new PipelineFixture();
        using var source = new StateUrlSource(new Uri("http://user:secret@master.invalid/master/state"), f.Pipeline, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), new ScriptedHandler());
        Assert.DoesNotContain("secret", source.Origin, StringComparison.Ordinal);
    }

    private sealed class ScriptedHandler : HttpMessageHandler
    {
        public Func<HttpRequestMessage, HttpResponseMessage> Next { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.NotFound);

        public TimeSpan Delay { get; set; }

        public Uri? LastRequest { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastRequest = request.RequestUri;
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            return Next(request);
        }
    }
}
