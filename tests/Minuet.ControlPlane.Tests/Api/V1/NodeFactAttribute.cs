namespace Minuet.ControlPlane.Tests.Api.V1;

/// <summary>A fact that runs a Node.js program: skipped, with the reason, when <c>node</c> or <c>npm</c> is not on PATH.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        var missing = new[] { "node", "npm" }.Where(tool => Find(tool) is null).ToList();
        if (missing.Count > 0)
        {
            Skip = $"{string.Join(" and ", missing)} not found on PATH (install Debian's nodejs and npm)";
        }
    }

    public static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);
}
