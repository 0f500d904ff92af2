namespace Minuet.Cli.Verbs;

/// <summary>
/// Reads a duration flag (<see cref="MasterVerb.TryParseDuration"/>'s forms) and adds an error naming the flag to
/// the verb's list when it is not one, or not in range. A timeout or interval of zero is no setting but a fault
/// (a heartbeat window no agent can meet, an allocation loop that never sleeps), so those flags take
/// <see cref="Positive"/>.
/// </summary>
internal static class DurationFlags
{
    private const string Forms = "e.g. 15s, 500ms, 2mins";

    /// <summary>More than zero; otherwise an error and <see cref="TimeSpan.Zero"/>.</summary>
    public static TimeSpan Positive(string flag, string text, List<string> errors)
    {
        bool parsed = MasterVerb.TryParseDuration(text, out var duration);
        if (parsed && duration > TimeSpan.Zero)
        {
            return duration;
        }

        errors.Add(parsed || IsNegative(text) ? $"{flag}: '{text}' must be more than zero ({Forms})" : NotADuration(flag, text));
        return TimeSpan.Zero;
    }

    /// <summary>Zero or more (zero is a real choice there, e.g. SIGKILL right after SIGTERM); otherwise an error.</summary>
    public static TimeSpan NonNegative(string flag, string text, List<string> errors)
    {
        if (MasterVerb.TryParseDuration(text, out var duration))
        {
            return duration;
        }

        errors.Add(IsNegative(text) ? $"{flag}: '{text}' cannot be negative ({Forms})" : NotADuration(flag, text));
        return TimeSpan.Zero;
    }

    /// <summary>The parser refuses a sign; "-5s" deserves "negative" rather than "not a duration".</summary>
    private static bool IsNegative(string text) =>
        text.Trim() is ['-', .. var rest] && MasterVerb.TryParseDuration(rest, out _);

    private static string NotADuration(string flag, string text) => $"{flag}: '{text}' is not a duration ({Forms})";
}
