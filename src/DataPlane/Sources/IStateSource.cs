namespace Minuet.DataPlane.Sources;

/// <summary>A place cluster state comes from (a file, a master's URL, later the push stream); it feeds the pipeline until stopped.</summary>
public interface IStateSource
{
    /// <summary>Short description for logs, e.g. <c>file:/tmp/s.json</c>.</summary>
    string Origin { get; }

    /// <summary>Reads the source once, then keeps following it until <paramref name="cancellationToken"/> fires.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
