using Minuet.DataPlane.L4lb;
using Minuet.TestSupport;

namespace Minuet.DataPlane.Tests;

public sealed class LoggerEventIdTests
{
    [Fact]
    public void DataPlaneAssembly_EveryLoggerMessage_HasAnExplicitUniqueEventId()
    {
        var assembly = typeof(L4Balancer).Assembly;

        // Guards the reflection itself: the L4, DNS and source logs must all be seen, or an empty list would pass.
        var ids = LoggerEventIds.Read(assembly).Select(m => m.EventId).ToHashSet();
        Assert.Contains(4001, ids);
        Assert.Contains(3101, ids);
        Assert.Contains(3010, ids);

        Assert.Empty(LoggerEventIds.Problems(assembly));
    }
}
