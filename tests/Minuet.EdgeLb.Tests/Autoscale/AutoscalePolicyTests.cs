using Minuet.Platform.EdgeLb.Autoscale;

namespace Minuet.EdgeLb.Tests.Autoscale;

public sealed class AutoscalePolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static AutoscaleOptions Options(int samples = 3, int cooldown = 5) => new()
    {
        Apps = ["nginx_10000"],
        TargetRps = 100,
        MaxInstances = 8,
        Interval = TimeSpan.FromSeconds(60),
        Samples = samples,
        Cooldown = cooldown,
    };

    /// <summary>Runs intervals at a constant rate; the first interval that scales, or null.</summary>
    private static (int Interval, int Target)? RunUntilScaled(AutoscalePolicy policy, double rate, int current, int intervals, int startAt = 0)
    {
        for (int i = startAt; i < startAt + intervals; i++)
        {
            var scale = policy.Step(new Dictionary<string, double> { ["nginx_10000"] = rate }, new Dictionary<string, int> { ["nginx"] = current }, Start.AddMinutes(i));
            if (scale.TryGetValue("nginx", out int target))
            {
                return (i, target);
            }
        }

        return null;
    }

    [Fact]
    public void Step_SustainedLoad_ScalesUpAfterWarmupAndThreeIntervalsPastThreshold()
    {
        var policy = new AutoscalePolicy(Options());
        var scaled = RunUntilScaled(policy, rate: 750, current: 1, intervals: 20);
        // 3 warm-up samples (intervals 0-2), then past threshold at 3, 4, 5: acts at interval 5.
        Assert.Equal((5, 8), scaled); // ceil(750/100) = 8, capped by max 8
    }

    [Fact]
    public void Step_LoadStops_ScalesDownToMinimumAfterCooldown()
    {
        var policy = new AutoscalePolicy(Options());
        Assert.Equal((5, 8), RunUntilScaled(policy, 750, 1, 20));
        var down = RunUntilScaled(policy, rate: 0, current: 8, intervals: 30, startAt: 6);
        Assert.NotNull(down);
        Assert.Equal(1, down.Value.Target);
        Assert.True(down.Value.Interval > 5 + 8, $"scaled down at {down.Value.Interval}, inside the (5+3) interval cooldown");
    }

    [Fact]
    public void Step_FrontendMissingFromStats_NoSampleAndNoScaleDown()
    {
        var policy = new AutoscalePolicy(Options());
        Assert.Equal((5, 8), RunUntilScaled(policy, 750, 1, 20));
        for (int i = 6; i < 40; i++)
        {
            // HAProxy unreachable or the frontend gone: nothing is known, so nothing changes (0 req/s would mean "scale to 1").
            var scale = policy.Step(new Dictionary<string, double>(), new Dictionary<string, int> { ["nginx"] = 8 }, Start.AddMinutes(i));
            Assert.Empty(scale);
        }

        Assert.Equal(750, policy.Average("nginx_10000"));
    }

    [Fact]
    public void Step_WithinThresholds_NoScaling()
    {
        var policy = new AutoscalePolicy(Options());
        // 2 instances at 260 req/s: 130 per instance is within 50% of 100, and target 3 is only 1 away.
        Assert.Null(RunUntilScaled(policy, rate: 260, current: 2, intervals: 30));
    }

    [Fact]
    public void Step_BeforeSamplesIntervals_NeverScales()
    {
        var policy = new AutoscalePolicy(Options(samples: 10));
        Assert.Null(RunUntilScaled(policy, rate: 5000, current: 1, intervals: 12));
    }

    [Fact]
    public void Step_TwoPortsDisagree_LargestTargetWins()
    {
        var policy = new AutoscalePolicy(Options() with { Apps = ["web_10000", "web_10001"] });
        Dictionary<string, int>? scale = null;
        for (int i = 0; i < 10 && (scale is null || scale.Count == 0); i++)
        {
            scale = policy.Step(new Dictionary<string, double> { ["web_10000"] = 300, ["web_10001"] = 700 }, new Dictionary<string, int> { ["web"] = 1 }, Start.AddMinutes(i));
        }

        Assert.Equal(7, scale!["web"]);
    }

    [Fact]
    public void FrontendRates_HttpAndTcpFrontends_ReqRateForHttpSessionRateForTcp()
    {
        string csv = """
            # pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,
            nginx_10000,FRONTEND,,,2,10,10000,500,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,12,0,40,,,,0,480,0,0,0,0,,95,120,500,
            nginx_10000,127_0_0_1_31001,0,0,1,5,,250,0,0,,0,,0,0,0,0,UP,1,1,0,0,0,10,0,,1,3,1,,250,,2,6,,20,L7OK,200,1,0,240,0,0,0,0,,,,,
            redis_10001,FRONTEND,,,1,1,10000,3,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,4,0,,,,0,3,0,3,,,,,,,,,,,,,,,
            """;
        var rates = StatsCsv.FrontendRates(csv);
        Assert.Equal(95, rates["nginx_10000"]); // req_rate, not the 12 sessions/s marathon-lb-autoscale read
        Assert.Equal(3, rates["redis_10001"]);
        Assert.Equal(2, rates.Count);
    }
}
