using System.Text;

namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>
/// Turns a VIP name or framework name into the DNS label DC/OS used (<c>mesos_state:domain_frag/1</c>): per
/// dot-separated part lower-case, leading non-alphanumerics dropped, <c>-</c> and <c>_</c> become <c>-</c>,
/// anything else dropped (so <c>/grp/app</c> becomes <c>grpapp</c>), each part capped at 63 characters.
/// </summary>
internal static class DnsLabel
{
    private const int MaxLabelLength = 63;

    public static string Mangle(string name)
    {
        var result = new StringBuilder(name.Length);
        foreach (var part in name.Split('.'))
        {
            var label = MangleOne(part);
            if (label.Length == 0)
            {
                continue;
            }

            if (result.Length > 0)
            {
                result.Append('.');
            }

            result.Append(label);
        }

        return result.ToString();
    }

    private static string MangleOne(string part)
    {
        var label = new StringBuilder(Math.Min(part.Length, MaxLabelLength));
        foreach (char raw in part)
        {
            char c = char.ToLowerInvariant(raw);
            bool alnum = c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (label.Length == 0 && !alnum)
            {
                continue;
            }

            if (alnum)
            {
                label.Append(c);
            }
            else if (c is '-' or '_')
            {
                label.Append('-');
            }

            if (label.Length == MaxLabelLength)
            {
                break;
            }
        }

        // A label may not end with a hyphen either; trailing ones carry no meaning.
        return label.ToString().TrimEnd('-');
    }
}
