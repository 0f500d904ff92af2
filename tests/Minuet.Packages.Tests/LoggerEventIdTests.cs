using Minuet.TestSupport;

namespace Minuet.Packages.Tests;

public sealed class LoggerEventIdTests
{
    [Fact]
    public void PackagesAssembly_EveryLoggerMessage_HasAnExplicitUniqueEventId()
    {
        var assembly = typeof(Minuet.Platform.Packages.Service.CosmosHost).Assembly;
        var ids = LoggerEventIds.Read(assembly).Select(m => m.EventId).ToList();
        Assert.Contains(7000, ids);
        Assert.All(ids, id => Assert.InRange(id ?? 0, 7000, 7099));
        Assert.Empty(LoggerEventIds.Problems(assembly));
    }
}
