namespace Minuet.DataPlane.Tests.Dns.Server;

/// <summary>
/// A fact that runs Debian's unbound as a caching resolver in front of our server. Without unbound it skips with the
/// reason, except under <c>CI=true</c>, where test.sh installs it, so its absence there is a failure, not a skip.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UnboundFactAttribute : FactAttribute
{
    public UnboundFactAttribute()
    {
        if (!UnboundRunner.Available && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"needs unbound at {UnboundRunner.Path} (apt-get install unbound; test.sh installs it)";
        }
    }
}
