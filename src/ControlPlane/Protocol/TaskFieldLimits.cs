using System.Text;

namespace Minuet.ControlPlane.Protocol;

/// <summary>
/// Size limits on a task's fields, checked by the master at accept and by the agent at launch, so one task cannot
/// grow the master, its store and an agent by its size. The command limits are the kernel's: a single argument or
/// environment string longer than <c>MAX_ARG_STRLEN</c> (128 KiB) cannot be exec'd at all, and the whole argument
/// and environment block must stay below <c>ARG_MAX</c> (2 MiB by default; 1 MiB leaves room for the agent's own
/// variables).
/// </summary>
internal static class TaskFieldLimits
{
    public const int MaxNameChars = 1024;

    /// <summary><c>MAX_ARG_STRLEN</c> (32 pages): the longest single argv or envp string Linux execs.</summary>
    public const int MaxArgumentBytes = 128 * 1024;

    public const int MaxCommandTotalBytes = 1024 * 1024;

    public const int MaxLabels = 256;

    public const int MaxLabelsTotalBytes = 512 * 1024;

    public static void Check(string prefix, LaunchTaskRequest launch, Action<string, string> add)
    {
        if (launch.Name is { Length: > MaxNameChars } name)
        {
            add(prefix + "/name", $"is {name.Length} characters; the limit is {MaxNameChars}");
        }

        if (launch.Command is { } command)
        {
            long total = 0;
            total += CheckString(prefix + "/command/value", command.Value, add);
            var arguments = command.Arguments ?? [];
            for (int i = 0; i < arguments.Count; i++)
            {
                total += CheckString($"{prefix}/command/arguments/{i}", arguments[i], add);
            }

            foreach (var (key, value) in command.Environment ?? new Dictionary<string, string>())
            {
                var shown = key.Length <= 64 ? key : key[..64] + "…";
                total += CheckString($"{prefix}/command/environment/{shown}", key + "=" + value, add);
            }

            if (total > MaxCommandTotalBytes)
            {
                add(prefix + "/command", $"value, arguments and environment are {total} bytes together; the limit is {MaxCommandTotalBytes} (below the kernel's ARG_MAX)");
            }
        }

        var labels = launch.Labels ?? [];
        if (labels.Count > MaxLabels)
        {
            add(prefix + "/labels", $"has {labels.Count} labels; the limit is {MaxLabels}");
        }

        long labelBytes = labels.Sum(l => (long)Bytes(l?.Key) + Bytes(l?.Value));
        if (labelBytes > MaxLabelsTotalBytes)
        {
            add(prefix + "/labels", $"keys and values are {labelBytes} bytes together; the limit is {MaxLabelsTotalBytes}");
        }

        if (launch.HealthCheck?.Command?.Value is { } check)
        {
            CheckString(prefix + "/health_check/command/value", check, add);
        }
    }

    private static int CheckString(string path, string? value, Action<string, string> add)
    {
        int bytes = Bytes(value);
        if (bytes > MaxArgumentBytes)
        {
            add(path, $"is {bytes} bytes; the limit is {MaxArgumentBytes} (the kernel's MAX_ARG_STRLEN: longer cannot be exec'd)");
        }

        return bytes;
    }

    private static int Bytes(string? value) => value is null ? 0 : Encoding.UTF8.GetByteCount(value);
}
