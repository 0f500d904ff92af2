using Minuet.Native.Netlink.Nfqueue;

namespace Minuet.Native.Tests.Netlink.Nfqueue;

public class NfqueueStatisticsTests
{
    // Shape of the kernel's seq_show lines ("%5u %6u %5u %1u %5u %5u %5u %8u %2d").
    private const string Proc = "   50  12345     3 2   128    17     4      991  1\n   51  12346     0 2   128     0     0        0  1\n";

    [Fact]
    public void TryParse_KernelLines_ReadsTheAskedQueue()
    {
        Assert.True(NfqueueStatistics.TryParse(Proc, 50, out var stats));

        Assert.Equal(new NfqueueStatistics(50, 12345, 3, 2, 128, 17, 4, 991), stats);
    }

    [Theory]
    [InlineData(52)]
    [InlineData(5)]
    public void TryParse_QueueNotBound_ReturnsFalse(int queue)
    {
        Assert.False(NfqueueStatistics.TryParse(Proc, (ushort)queue, out _));
    }

    [Fact]
    public void TryParse_GarbledLine_ReturnsFalse()
    {
        Assert.False(NfqueueStatistics.TryParse("   50  x 3 2 128 17 4 991 1\n", 50, out _));
    }
}
