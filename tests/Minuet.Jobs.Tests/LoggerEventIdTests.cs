using Minuet.TestSupport;

namespace Minuet.Jobs.Tests;

public sealed class LoggerEventIdTests
{
    [Fact]
    public void JobsAssembly_EveryLoggerMessage_HasAnExplicitUniqueEventId()
    {
        var assembly = typeof(Minuet.Platform.Jobs.JobsHost).Assembly;
        Assert.Contains(8100, LoggerEventIds.Read(assembly).Select(m => m.EventId));
        Assert.Empty(LoggerEventIds.Problems(assembly));
    }
}
