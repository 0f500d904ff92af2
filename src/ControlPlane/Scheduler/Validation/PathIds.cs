using System.Text.RegularExpressions;

namespace Minuet.ControlPlane.Scheduler.Validation;

/// <summary>Marathon's PathId rules (mesosphere/marathon state/PathId.scala): absolute canonical ids, segment syntax, reserved names.</summary>
internal static partial class PathIds
{
    private static readonly string[] Reserved = ["restart", "tasks", "versions", ".", ".."];

    /// <summary>Resolves <paramref name="id"/> against <paramref name="parent"/> (absolute), applying <c>.</c> and <c>..</c>; null if it climbs above the root.</summary>
    public static string? Resolve(string id, string parent)
    {
        var segments = new List<string>();
        if (!id.StartsWith('/'))
        {
            segments.AddRange(parent.Split('/', StringSplitOptions.RemoveEmptyEntries));
        }

        foreach (var part in id.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (segments.Count == 0)
                {
                    return null;
                }

                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(part);
        }

        return "/" + string.Join('/', segments);
    }

    /// <summary>The master refuses a task id over 200 characters (it names the agent's sandbox directory).</summary>
    public const int MasterTaskIdLimit = 200;

    /// <summary>
    /// The longest absolute app id: task ids are <c>SafeId(id) + "." + UUID</c> (36 characters), and SafeId drops
    /// the leading slash, so an id of n characters makes a task id of n + 36. Anything longer could never launch.
    /// </summary>
    public const int MaxAppIdLength = MasterTaskIdLimit - 36;

    /// <summary>The problem with an absolute app id's length, or null.</summary>
    public static string? LengthProblem(string absoluteId) => absoluteId.Length > MaxAppIdLength
        ? $"is {absoluteId.Length} characters long; an app id may have at most {MaxAppIdLength} so that its task ids ('{{id}}.{{uuid}}') stay within the master's {MasterTaskIdLimit}"
        : null;

    /// <summary>Every problem with an id as written (before resolution); empty when valid.</summary>
    public static List<string> Problems(string id, bool isApp)
    {
        var problems = new List<string>();
        var parts = id.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (isApp && parts.Length == 0)
        {
            problems.Add("path must not be empty or the root group");
            return problems;
        }

        foreach (var part in parts)
        {
            if (part is not "." and not ".." && !Segment().IsMatch(part))
            {
                problems.Add($"'{part}' must fully match the regular expression '^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])|(\\.|\\.\\.)$'");
            }
        }

        if (isApp && parts.Length > 0 && Reserved.Contains(parts[^1]))
        {
            problems.Add($"must not end with '{parts[^1]}': it is reserved ({string.Join(", ", Reserved)})");
        }

        return problems;
    }

    /// <summary>The parent group of an absolute id (<c>/a/b</c> → <c>/a</c>, <c>/a</c> → <c>/</c>).</summary>
    public static string Parent(string id)
    {
        int at = id.LastIndexOf('/');
        return at <= 0 ? "/" : id[..at];
    }

    /// <summary>True when <paramref name="id"/> is <paramref name="group"/> or inside it.</summary>
    public static bool IsWithin(string id, string group) =>
        group == "/" || id == group || id.StartsWith(group + "/", StringComparison.Ordinal);

    /// <summary>Marathon's task id prefix: the path without its leading slash, <c>/</c> → <c>_</c> (<c>/group/app</c> → <c>group_app</c>).</summary>
    public static string SafeId(string id) => id.TrimStart('/').Replace('/', '_');

    /// <summary>Marathon's task and DiscoveryInfo name: segments reversed and dotted (<c>/group/app</c> → <c>app.group</c>).</summary>
    public static string Hostname(string id) => string.Join('.', id.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());

    [GeneratedRegex(@"^(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])$")]
    private static partial Regex Segment();
}
