using Minuet.TestSupport;

namespace Minuet.ControlPlane.Tests;

public sealed class LoggerEventIdTests
{
    [Fact]
    public void ControlPlaneAssembly_EveryLoggerMessage_HasAnExplicitUniqueEventId()
    {
        var assembly = typeof(Minuet.ControlPlane.Scheduler.Log).Assembly;

        // Positional [LoggerMessage(6000, ...)] and named EventId = 5001 must both be read.
        var ids = LoggerEventIds.Read(assembly).Select(m => m.EventId).ToHashSet();
        Assert.Contains(6000, ids);
        Assert.Contains(5001, ids);

        Assert.Empty(LoggerEventIds.Problems(assembly));
    }
}
