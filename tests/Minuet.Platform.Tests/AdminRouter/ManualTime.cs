namespace Minuet.Platform.Tests.AdminRouter;

/// <summary>A clock the test moves; timers stay real.</summary>
internal sealed class ManualTime : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;
}
