using System.Text.Json;

namespace Minuet.DataPlane.Sources;

/// <summary>
/// The two top-level fields of a <c>/master/state</c> document that say who leads: <c>pid</c> (the master that
/// answered) and <c>leader</c> (the leading master's pid). Read with a forward-only scan, so the full parse happens
/// once, on the leader's document only.
/// </summary>
internal readonly record struct MasterLeaderFields(string? Pid, string? Leader)
{
    public static MasterLeaderFields Read(ReadOnlySpan<byte> json)
    {
        string? pid = null, leader = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isPid = reader.ValueTextEquals("pid"u8);
                bool isLeader = reader.ValueTextEquals("leader"u8);
                if (!reader.Read())
                {
                    break;
                }

                if (reader.TokenType == JsonTokenType.String && (isPid || isLeader))
                {
                    string value = reader.GetString()!;
                    if (isPid)
                    {
                        pid = value;
                    }
                    else
                    {
                        leader = value;
                    }

                    if (pid is not null && leader is not null)
                    {
                        break;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // A broken document names no leader; the caller tries the next master.
        }

        return new MasterLeaderFields(string.IsNullOrEmpty(pid) ? null : pid, string.IsNullOrEmpty(leader) ? null : leader);
    }
}
