using Minuet.Native;
using Minuet.TestSupport;

namespace Minuet.Native.Tests;

public sealed class LoggerEventIdTests
{
    [Fact]
    public void NativeAssembly_EveryLoggerMessage_HasAnExplicitUniqueEventId()
    {
        Assert.Empty(LoggerEventIds.Problems(typeof(NativeResult).Assembly));
    }
}
