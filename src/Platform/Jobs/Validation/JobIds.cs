using System.Text.RegularExpressions;

namespace Minuet.Platform.Jobs.Validation;

/// <summary>Job id rules: Metronome's dotted lowercase names for <c>/v1/jobs</c>, Chronos's <c>[\w.-]+</c> for its shim.</summary>
internal static partial class JobIds
{
    public const int MaxLength = 128;

    public static string? Check(string? id, bool chronos)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "is required";
        }

        if (id.Length > MaxLength)
        {
            return $"is {id.Length} characters; at most {MaxLength} allowed";
        }

        return chronos
            ? ChronosName().IsMatch(id) ? null : $"'{id}' may contain only letters, digits, '_', '.' and '-'"
            : MetronomeId().IsMatch(id) ? null : $"'{id}' must be lowercase letters, digits and '-', in dot-separated parts each starting and ending with a letter or digit (e.g. 'nightly.backup')";
    }

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex MetronomeId();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ChronosName();
}
