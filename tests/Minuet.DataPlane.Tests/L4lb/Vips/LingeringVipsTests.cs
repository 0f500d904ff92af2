using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.Tests.L4lb.Vips;

public class LingeringVipsTests
{
    private static readonly IpPort A = new(0xC6130001u, 80);
    private static readonly IpPort B = new(0xC6130002u, 80);

    [Fact]
    public void Desired_VipRemoved_StaysUntilLingerPasses()
    {
        var time = new ManualTimeProvider();
        var lingering = new LingeringVips(TimeSpan.FromMinutes(5), time);
        Assert.Equal([A, B], lingering.Desired([A, B]).Order());

        Assert.Equal([A, B], lingering.Desired([A]).Order());
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal([A, B], lingering.Desired([A]).Order());
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal([A], lingering.Desired([A]));
    }

    [Fact]
    public void Desired_VipReturns_NoLongerLingering()
    {
        var time = new ManualTimeProvider();
        var lingering = new LingeringVips(TimeSpan.FromMinutes(5), time);
        lingering.Desired([A, B]);
        lingering.Desired([A]);
        lingering.Desired([A, B]);
        lingering.Desired([A]);
        time.Advance(TimeSpan.FromMinutes(4));

        // Removed again 4 minutes ago (not at the first removal): still lingering.
        Assert.Contains(B, lingering.Desired([A]));
    }
}
