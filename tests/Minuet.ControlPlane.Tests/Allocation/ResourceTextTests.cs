using Minuet.ControlPlane.Allocation;

namespace Minuet.ControlPlane.Tests.Allocation;

public class ResourceTextTests
{
    [Fact]
    public void TryParse_AgentFlag_ReadsScalarsAndPorts()
    {
        Assert.True(ResourceText.TryParse("cpus:2;mem:2048;disk:100;ports:[31000-32000]", out var r, out var error), error);
        Assert.Equal(2, r.Unreserved.Cpus);
        Assert.Equal(2048, r.Unreserved.Mem);
        Assert.Equal(100, r.Unreserved.Disk);
        Assert.Equal("[31000-32000]", r.Unreserved.Ports.ToString());
        Assert.Empty(r.Reserved);
    }

    [Fact]
    public void TryParse_StaticReservation_GoesToRole()
    {
        Assert.True(ResourceText.TryParse("cpus:1;cpus(ads):8;mem(ads):1024;mem:512", out var r, out var error), error);
        Assert.Equal(1, r.Unreserved.Cpus);
        Assert.Equal(8, r.Reserved["ads"].Cpus);
        Assert.Equal(1024, r.Reserved["ads"].Mem);
        Assert.Equal(9, r.Total.Cpus);
    }

    [Theory]
    [InlineData("cpus:x", "not a non-negative number")]
    [InlineData("gpus:1", "unknown resource")]
    [InlineData("cpus2", "NAME:VALUE")]
    [InlineData("ports:[5-1]", "begins after it ends")]
    [InlineData("cpus(/bad):1", "leading")]
    public void TryParse_BadEntry_NamesIt(string text, string reason)
    {
        Assert.False(ResourceText.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_RoundTrips()
    {
        Assert.True(ResourceText.TryParse("cpus:2;mem:2048;ports:[31000-32000];cpus(ads):1", out var r, out _));
        Assert.True(ResourceText.TryParse(ResourceText.Format(r), out var again, out _));
        Assert.Equal(r.Unreserved, again.Unreserved);
        Assert.Equal(r.Reserved["ads"], again.Reserved["ads"]);
    }
}
