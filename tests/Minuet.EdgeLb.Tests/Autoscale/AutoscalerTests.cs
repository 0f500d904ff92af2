using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Minuet.Platform.EdgeLb.Autoscale;

namespace Minuet.EdgeLb.Tests.Autoscale;

public sealed class AutoscalerTests
{
    /// <summary>A stats source whose frontend rate the test sets.</summary>
    private sealed class FakeStats : IStatsSource
    {
        public double Rate { get; set; }

        public Task<IReadOnlyList<Dictionary<string, double>>> SampleAsync(List<string> problems, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Dictionary<string, double>>>([new() { ["shop_nginx_10000"] = Rate / 2 }, new() { ["shop_nginx_10000"] = Rate / 2 }]);
    }

    /// <summary>Marathon with one app /shop/nginx: answers GET /v2/apps and records PUTs, applying the instance count.</summary>
    private sealed class FakeMarathon : HttpMessageHandler
    {
        public int Instances { get; set; } = 1;

        public List<string> Puts { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Put)
            {
                string body = await request.Content!.ReadAsStringAsync(cancellationToken);
                Puts.Add($"{request.RequestUri!.AbsolutePath} {body}");
                Instances = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("instances").GetInt32();
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
            }

            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"apps":[{"id":"/shop/nginx","instances":{{Instances}}}]}""", Encoding.UTF8, "application/json"),
            };
        }
    }

    [Fact]
    public async Task StepAsync_LoadThenIdle_PutsScaleUpThenDownToGroupedAppId()
    {
        var stats = new FakeStats { Rate = 800 };
        var marathon = new FakeMarathon();
        using var http = new HttpClient(marathon);
        var options = new AutoscaleOptions { Apps = ["shop_nginx_10000"], TargetRps = 100, MaxInstances = 8, Samples = 2, Cooldown = 1, Interval = TimeSpan.FromSeconds(1) };
        var time = new ManualTime(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var scaler = new Autoscaler(options, stats, new Uri("http://marathon.test/"), http, NullLogger.Instance, time);

        for (int i = 0; i < 10 && marathon.Puts.Count == 0; i++)
        {
            await scaler.StepAsync(CancellationToken.None);
            time.Advance(options.Interval);
        }

        Assert.Equal(["/v2/apps/shop/nginx {\"instances\":8}"], marathon.Puts);
        stats.Rate = 0;
        for (int i = 0; i < 20 && marathon.Puts.Count == 1; i++)
        {
            await scaler.StepAsync(CancellationToken.None);
            time.Advance(options.Interval);
        }

        Assert.Equal("/v2/apps/shop/nginx {\"instances\":1}", marathon.Puts[^1]);
        Assert.Equal(1, marathon.Instances);
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
