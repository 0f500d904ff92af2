using System.Net;
using System.Text.Json;

namespace Minuet.Coordination;

/// <summary>How a master's answer to any call bears on leadership.</summary>
public enum MasterAnswerKind
{
    /// <summary>An answer of the master itself (success or its own refusal): it leads, or it knows of no other.</summary>
    Answered,

    /// <summary>A 3xx naming the leader: this master stands by; call the leader instead.</summary>
    Redirect,

    /// <summary>503 with <c>{"code":"no_leader"}</c> (or any 503 from the redirect route): no leader is known right now.</summary>
    NoLeader,

    /// <summary>No HTTP answer at all (refused, reset, timed out).</summary>
    Unreachable,
}

/// <summary>
/// Classifies masters' answers for every follower (agent, data plane, scheduler, CLI), so they all read a standby's
/// 307 and a leaderless 503 the same way. A 503 that is not <c>no_leader</c> (a leader whose store is full, say) is
/// the leader's own refusal and stays <see cref="MasterAnswerKind.Answered"/>.
/// </summary>
public static class MasterAnswer
{
    /// <summary>The code standby masters put in their 503 body when no leader is known.</summary>
    public const string NoLeaderCode = "no_leader";

    public static MasterAnswerKind Classify(HttpStatusCode status, string? location, ReadOnlySpan<byte> body)
    {
        if (status is HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect or HttpStatusCode.Found
            or HttpStatusCode.MovedPermanently or HttpStatusCode.SeeOther && !string.IsNullOrEmpty(location))
        {
            return MasterAnswerKind.Redirect;
        }

        return status == HttpStatusCode.ServiceUnavailable && IsNoLeader(body) ? MasterAnswerKind.NoLeader : MasterAnswerKind.Answered;
    }

    /// <summary>True when the body is a JSON object whose <c>code</c> is <c>no_leader</c>.</summary>
    public static bool IsNoLeader(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isCode = reader.ValueTextEquals("code"u8);
                if (!reader.Read())
                {
                    return false;
                }

                if (isCode)
                {
                    return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(NoLeaderCode);
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: a proxy's page, not a standby master's answer.
        }

        return false;
    }

    /// <summary>
    /// The leader's base URL (<c>scheme://host:port/</c>) from a redirect's <c>Location</c>: scheme-less
    /// <c>//ip:port</c> (Mesos's form) takes the scheme of the master asked; any path is dropped. Null when unusable.
    /// </summary>
    public static Uri? LeaderFromLocation(Uri asked, string? location)
    {
        ArgumentNullException.ThrowIfNull(asked);
        if (string.IsNullOrWhiteSpace(location) || !Uri.TryCreate(asked, location.Trim(), out var target)
            || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps) || target.Host.Length == 0)
        {
            return null;
        }

        return BaseOf(target);
    }

    /// <summary><c>scheme://host:port/</c> of a URL (what a leader is known by).</summary>
    public static Uri BaseOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return new Uri(url.GetLeftPart(UriPartial.Authority) + "/");
    }
}
