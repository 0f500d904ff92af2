namespace Minuet.ControlPlane.Scheduler.Apps;

/// <summary>
/// A Marathon readiness check (readinessCheck.raml) with its defaults: after a new task runs (and is healthy, when
/// the app has health checks), a deployment waits until GET <c>path</c> on the port named <c>portName</c> answers
/// one of <c>httpStatusCodesForReady</c>.
/// </summary>
internal sealed record ReadinessCheckSpec
{
    public string Name { get; init; } = "readinessCheck";

    /// <summary>HTTP only (HTTPS is refused at validation).</summary>
    public string Protocol { get; init; } = "HTTP";

    public string Path { get; init; } = "/";

    public string PortName { get; init; } = "http-api";

    public double IntervalSeconds { get; init; } = 30;

    public double TimeoutSeconds { get; init; } = 10;

    public IReadOnlyList<int> HttpStatusCodesForReady { get; init; } = [200];

    public bool PreserveLastResponse { get; init; }
}
