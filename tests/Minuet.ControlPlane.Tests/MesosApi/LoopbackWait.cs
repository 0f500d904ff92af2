namespace Minuet.ControlPlane.Tests.MesosApi;

/// <summary>Polls a condition that has no event to await (a file another process writes), with a deadline.</summary>
internal static class LoopbackWait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(50);
        }
    }
}
