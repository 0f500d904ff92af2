using System.Text.Json;
using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Model;

namespace Minuet.Platform.Packages.Service;

/// <summary>Typed reads of a request body's fields; a field of the wrong type is an error naming it.</summary>
internal static class RequestFields
{
    public static Outcome<string?> OptionalString(JsonObject body, string field)
    {
        var node = body[field];
        if (node is null)
        {
            return new Outcome<string?>(null, null);
        }

        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : new CosmosError("NotValid", $"Item '{field}' is not valid: it must be a string", new JsonObject { ["field"] = field });
    }

    public static Outcome<string> RequiredString(JsonObject body, string field)
    {
        var value = OptionalString(body, field);
        if (!value.IsSuccess)
        {
            return value.Error;
        }

        return string.IsNullOrEmpty(value.Value) ? CosmosErrors.MissingField(field) : value.Value;
    }

    public static Outcome<bool> OptionalBool(JsonObject body, string field)
    {
        var node = body[field];
        if (node is null)
        {
            return false;
        }

        return node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>()
            : new CosmosError("NotValid", $"Item '{field}' is not valid: it must be a boolean", new JsonObject { ["field"] = field });
    }

    public static Outcome<JsonObject?> OptionalObject(JsonObject body, string field)
    {
        var node = body[field];
        if (node is null)
        {
            return new Outcome<JsonObject?>(null, null);
        }

        return node is JsonObject o
            ? o
            : new CosmosError("NotValid", $"Item '{field}' is not valid: it must be a JSON object", new JsonObject { ["field"] = field });
    }
}
