using Microsoft.Net.Http.Headers;

namespace Minuet.ControlPlane.Api.V1;

/// <summary>Content negotiation as libprocess does it (<c>Request::acceptsMediaType</c>).</summary>
internal static class V1MediaTypes
{
    public const string Json = "application/json";
    public const string Protobuf = "application/x-protobuf";
    public const string StreamIdHeader = "Mesos-Stream-Id";

    /// <summary>
    /// True when the Accept header allows <paramref name="mediaType"/>: no header accepts everything; otherwise the
    /// most specific matching range (<c>type/sub</c> over <c>type/*</c> over <c>*/*</c>) decides, and <c>q=0</c> refuses.
    /// </summary>
    public static bool Accepts(string? accept, string mediaType)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return true;
        }

        if (!MediaTypeHeaderValue.TryParseList(accept.Split(','), out var ranges))
        {
            return false;
        }

        var slash = mediaType.IndexOf('/', StringComparison.Ordinal);
        var type = mediaType[..slash];
        int best = -1;
        double q = 0;
        foreach (var range in ranges)
        {
            var rangeType = range.Type.Value ?? string.Empty;
            var rangeSub = range.SubType.Value ?? string.Empty;
            int specificity = rangeType == "*" && rangeSub == "*" ? 0
                : string.Equals(rangeType, type, StringComparison.OrdinalIgnoreCase) && rangeSub == "*" ? 1
                : string.Equals(range.MediaType.Value, mediaType, StringComparison.OrdinalIgnoreCase) ? 2
                : -1;
            if (specificity > best)
            {
                best = specificity;
                q = range.Quality ?? 1.0;
            }
        }

        return best >= 0 && q > 0;
    }
}
