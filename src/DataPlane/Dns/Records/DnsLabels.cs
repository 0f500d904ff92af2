using System.Buffers;

namespace Minuet.DataPlane.Dns.Records;

/// <summary>
/// Mesos-DNS's name mangling (records/labels): map each character (upper to lower case; <c>-</c> <c>.</c> <c>_</c>
/// to <c>-</c>; anything outside <c>a-z0-9</c> dropped), trim leading dashes (and digits for RFC 952), cut at the
/// length limit, drop trailing dashes and refill the label from what follows the cut.
/// </summary>
public static class DnsLabels
{
    /// <summary>The label for one name part, e.g. <c>liquor.store</c> becomes <c>liquor-store</c>.</summary>
    public static string Sanitize(string name, DnsLabelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(name);
        int max = spec == DnsLabelSpec.Rfc952 ? 24 : 63;
        if (IsAlreadyValid(name, max, spec))
        {
            return name;
        }

        char[]? rented = null;
        Span<char> mapped = name.Length <= 256 ? stackalloc char[name.Length] : (rented = ArrayPool<char>.Shared.Rent(name.Length));
        try
        {
            int n = 0;
            foreach (char c in name)
            {
                char m = Map(c);
                if (m != '\0')
                {
                    mapped[n++] = m;
                }
            }

            return TrimCut(mapped[..n], max, spec);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// A multi-label fragment (Mesos-DNS <c>DomainFrag</c>): split on dots, sanitise each part, drop empty ones, so
    /// <c>marathon-0.6.0-dev</c> stays <c>marathon-0.6.0-dev</c> under RFC 1123.
    /// </summary>
    public static string DomainFragment(string name, DnsLabelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.Contains('.', StringComparison.Ordinal))
        {
            return Sanitize(name, spec);
        }

        var parts = name.Split('.');
        int kept = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            string label = Sanitize(parts[i], spec);
            if (label.Length > 0)
            {
                parts[kept++] = label;
            }
        }

        return string.Join('.', parts, 0, kept);
    }

    private static char Map(char c) => c switch
    {
        >= 'A' and <= 'Z' => (char)(c + ('a' - 'A')),
        (>= 'a' and <= 'z') or (>= '0' and <= '9') => c,
        '-' or '.' or '_' => '-',
        _ => '\0',
    };

    private static bool IsCutLeft(char c, DnsLabelSpec spec) => c == '-' || (spec == DnsLabelSpec.Rfc952 && char.IsAsciiDigit(c));

    private static bool IsAlreadyValid(string name, int max, DnsLabelSpec spec)
    {
        if (name.Length == 0)
        {
            return true;
        }

        if (name.Length > max || IsCutLeft(name[0], spec) || name[^1] == '-')
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static string TrimCut(ReadOnlySpan<char> label, int max, DnsLabelSpec spec)
    {
        int start = 0;
        while (start < label.Length && IsCutLeft(label[start], spec))
        {
            start++;
        }

        var trim = label[start..];
        int size = Math.Min(trim.Length, max);
        var head = trim[..size].TrimEnd('-');
        if (head.Length == size)
        {
            return new string(head);
        }

        // Cutting left a dash run at the end: refill from what follows the cut, as Mesos-DNS does.
        var tail = trim[size..].TrimStart('-');
        if (tail.Length == 0)
        {
            return new string(head);
        }

        return string.Concat(head, tail[..Math.Min(tail.Length, size - head.Length)]);
    }
}
