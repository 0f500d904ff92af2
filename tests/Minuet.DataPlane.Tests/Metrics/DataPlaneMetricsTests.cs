using Minuet.DataPlane.Metrics;

namespace Minuet.DataPlane.Tests.Metrics;

public class DataPlaneMetricsTests
{
    [Fact]
    public void Render_Counter_WritesHelpTypeAndValue()
    {
        var metrics = new DataPlaneMetrics();
        var counter = metrics.CreateCounter("minuet_test_total", "A test counter.");
        counter.Increment();
        counter.Add(41);

        var text = metrics.Render();

        Assert.Contains("# HELP minuet_test_total A test counter.\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE minuet_test_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("\nminuet_test_total 42\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Increment_FromManyThreads_LosesNothing()
    {
        var counter = new DataPlaneMetrics().CreateCounter("c_total", "c");
        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 100_000; i++)
            {
                counter.Increment();
            }
        });
        Assert.Equal(800_000, counter.Value);
    }

    [Fact]
    public void Render_LabelledCounter_WritesOneSamplePerLabelSetEscaped()
    {
        var metrics = new DataPlaneMetrics();
        var queries = metrics.CreateLabelledCounter("dns_queries_total", "Queries.", "qtype", "rcode");
        queries.WithLabels("A", "NOERROR").Add(3);
        queries.WithLabels("SRV", "NXDOMAIN").Increment();
        queries.WithLabels("A", "NOERROR").Increment();
        queries.WithLabels("x\"y", "z").Increment();

        var text = metrics.Render();

        Assert.Contains("dns_queries_total{qtype=\"A\",rcode=\"NOERROR\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("dns_queries_total{qtype=\"SRV\",rcode=\"NXDOMAIN\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("dns_queries_total{qtype=\"x\\\"y\",rcode=\"z\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WithLabels_WrongValueCount_Throws()
    {
        var family = new DataPlaneMetrics().CreateLabelledCounter("f_total", "f", "a", "b");
        Assert.Throws<ArgumentException>(() => family.WithLabels("only-one"));
    }

    [Fact]
    public void Render_Histogram_WritesCumulativeBucketsSumAndCount()
    {
        var metrics = new DataPlaneMetrics();
        var h = metrics.CreateHistogram("lat_seconds", "Latency.", [0.001, 0.01]);
        h.Observe(0.0005);
        h.Observe(0.005);
        h.Observe(0.005);
        h.Observe(2);

        var text = metrics.Render();

        Assert.Contains("# TYPE lat_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("lat_seconds_bucket{le=\"0.001\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("lat_seconds_bucket{le=\"0.01\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("lat_seconds_bucket{le=\"+Inf\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("lat_seconds_sum 2.0105\n", text, StringComparison.Ordinal);
        Assert.Contains("lat_seconds_count 4\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CallbackGauge_ReadsAtScrapeTime()
    {
        var metrics = new DataPlaneMetrics();
        double age = 1.5;
        metrics.CreateGauge("age_seconds", "Age.", () => age);
        Assert.Contains("age_seconds 1.5\n", metrics.Render(), StringComparison.Ordinal);
        age = 7;
        Assert.Contains("age_seconds 7\n", metrics.Render(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("has space")]
    [InlineData("")]
    public void CreateCounter_InvalidName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => new DataPlaneMetrics().CreateCounter(name, "x"));
    }

    [Fact]
    public void CreateCounter_DuplicateName_Throws()
    {
        var metrics = new DataPlaneMetrics();
        metrics.CreateCounter("dup_total", "x");
        Assert.Throws<InvalidOperationException>(() => metrics.CreateGauge("dup_total", "y"));
    }
}

public class DataPlaneMetricsCallbackTests
{
    [Fact]
    public void Render_CallbackFamilies_ReadAtScrapeTime()
    {
        var metrics = new DataPlaneMetrics();
        long queries = 3;
        metrics.CreateCallbackCounter("q_total", "Queries.", ["qtype"], () => [new KeyValuePair<string[], double>(["A"], queries)]);
        metrics.CreateCallbackHistogram("d_seconds", "Durations.", [0.1, 1], () => ([2, 1, 4], 9.5));

        queries = 5;
        var text = metrics.Render();

        Assert.Contains("q_total{qtype=\"A\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("d_seconds_bucket{le=\"0.1\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("d_seconds_bucket{le=\"1\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("d_seconds_bucket{le=\"+Inf\"} 7\n", text, StringComparison.Ordinal);
        Assert.Contains("d_seconds_count 7\n", text, StringComparison.Ordinal);
    }
}
