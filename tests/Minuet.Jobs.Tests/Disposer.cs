using Minuet.Platform.Jobs.Engine;
using Minuet.Platform.Jobs.Storage;

namespace Minuet.Jobs.Tests;

/// <summary>A core and the store it owns, closed together (a "crash" is closing them and opening the directory again).</summary>
internal sealed class Disposer(JobsCore core, IJobStore store) : IDisposable
{
    public JobsCore Core { get; } = core;

    public void Dispose() => store.Dispose();
}
