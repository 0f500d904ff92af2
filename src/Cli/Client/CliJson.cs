using System.Text.Json;

namespace Minuet.Cli.Client;

/// <summary>JSON settings for what the CLI prints itself (API answers are printed as served).</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new() { WriteIndented = false };
}
