using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Minuet.Platform.Packages.Rendering;

/// <summary>
/// Validates merged options against a package's config.json as JSON Schema draft 4 (NJsonSchema reads draft-4 forms
/// such as boolean <c>exclusiveMinimum</c>), reporting every error, each with the JSON pointer of the offending value
/// in the shape of fge's reports that Cosmos passes on (<c>instance.pointer</c>, <c>keyword</c>, <c>found</c>,
/// <c>expected</c>, <c>missing</c>).
/// </summary>
internal static class OptionsValidator
{
    public static async Task<JsonArray> ValidateAsync(JsonObject schema, JsonObject options)
    {
        var copy = (JsonObject)schema.DeepClone();

        // 26 Universe packages carry "$schema": "http://json-schema.org/schema#" (meaning "the latest"), which is no
        // draft a validator should fetch: the Universe meta-schema says config.json is draft 4, so that is what applies.
        copy.Remove("$schema");
        var parsed = await JsonSchema.FromJsonAsync(copy.ToJsonString()).ConfigureAwait(false);
        var errors = parsed.Validate(options.ToJsonString());
        var report = new JsonArray();
        foreach (var error in Flatten(errors))
        {
            report.Add(Describe(error, options));
        }

        return report;
    }

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            yield return error;
        }
    }

    private static JsonObject Describe(ValidationError error, JsonObject options)
    {
        var segments = Segments(error.Path);
        bool required = error.Kind == ValidationErrorKind.PropertyRequired;
        bool unwanted = error.Kind == ValidationErrorKind.NoAdditionalPropertiesAllowed;

        // fge reports a missing or unwanted member at its parent object, naming the members.
        if ((required || unwanted) && segments.Count > 0 && segments[^1] == error.Property)
        {
            segments.RemoveAt(segments.Count - 1);
        }

        string pointer = Pointer(segments);
        var entry = new JsonObject
        {
            ["level"] = "error",
            ["instance"] = new JsonObject { ["pointer"] = pointer },
            ["domain"] = "validation",
            ["keyword"] = Keyword(error.Kind),
            ["message"] = Message(error, pointer),
        };
        if (required && error.Property is not null)
        {
            entry["missing"] = new JsonArray(error.Property);
        }
        else if (error.Kind.ToString().EndsWith("Expected", StringComparison.Ordinal) && !required)
        {
            entry["found"] = JsonTypeAt(options, segments);
            entry["expected"] = new JsonArray(error.Kind.ToString()[..^"Expected".Length].ToLowerInvariant());
        }
        else if (error.Kind == ValidationErrorKind.NoAdditionalPropertiesAllowed && error.Property is not null)
        {
            entry["unwanted"] = new JsonArray(error.Property);
        }

        return entry;
    }

    private static string Message(ValidationError error, string pointer) => error.Kind switch
    {
        ValidationErrorKind.PropertyRequired => $"object has missing required properties ([\"{error.Property}\"])",
        ValidationErrorKind.NoAdditionalPropertiesAllowed => $"object instance has properties which are not allowed by the schema: [\"{error.Property}\"]",
        _ => $"{Words(error.Kind.ToString())} at {(pointer.Length == 0 ? "the top" : pointer)}",
    };

    private static string Keyword(ValidationErrorKind kind) => kind switch
    {
        ValidationErrorKind.PropertyRequired => "required",
        ValidationErrorKind.NoAdditionalPropertiesAllowed => "additionalProperties",
        ValidationErrorKind.NotInEnumeration => "enum",
        ValidationErrorKind.NumberTooBig => "maximum",
        ValidationErrorKind.NumberTooSmall => "minimum",
        ValidationErrorKind.StringTooShort => "minLength",
        ValidationErrorKind.StringTooLong => "maxLength",
        ValidationErrorKind.PatternMismatch => "pattern",
        ValidationErrorKind.TooManyItems => "maxItems",
        ValidationErrorKind.TooFewItems => "minItems",
        ValidationErrorKind.ItemsNotUnique => "uniqueItems",
        ValidationErrorKind.NotAnyOf => "anyOf",
        ValidationErrorKind.NotOneOf => "oneOf",
        ValidationErrorKind.NotAllOf => "allOf",
        ValidationErrorKind.ExcludedSchemaValidates => "not",
        ValidationErrorKind.NumberNotMultipleOf => "multipleOf",
        var k when k.ToString().EndsWith("Expected", StringComparison.Ordinal) => "type",
        var k => k.ToString(),
    };

    private static string Words(string pascal)
    {
        var text = new StringBuilder();
        foreach (char c in pascal)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    /// <summary>NJsonSchema's path (<c>#/a.b[2].c</c>) as segments.</summary>
    internal static List<string> Segments(string? path)
    {
        var segments = new List<string>();
        if (string.IsNullOrEmpty(path))
        {
            return segments;
        }

        string body = path.StartsWith("#/", StringComparison.Ordinal) ? path[2..] : path.TrimStart('#');
        var current = new StringBuilder();
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c == '.')
            {
                Flush();
            }
            else if (c == '[')
            {
                Flush();
                int end = body.IndexOf(']', i);
                if (end < 0)
                {
                    current.Append(body, i, body.Length - i);
                    break;
                }

                segments.Add(body[(i + 1)..end]);
                i = end;
            }
            else
            {
                current.Append(c);
            }
        }

        Flush();
        return segments;

        void Flush()
        {
            if (current.Length > 0)
            {
                segments.Add(current.ToString());
                current.Clear();
            }
        }
    }

    /// <summary>RFC 6901: "/" + segments, with <c>~</c> as <c>~0</c> and <c>/</c> as <c>~1</c>.</summary>
    internal static string Pointer(IEnumerable<string> segments) =>
        string.Concat(segments.Select(s => "/" + s.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));

    private static string JsonTypeAt(JsonObject options, List<string> segments)
    {
        JsonNode? node = options;
        foreach (var segment in segments)
        {
            node = node switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, out int i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
        }

        return node?.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => node.AsValue().TryGetValue(out long _) ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Array => "array",
            JsonValueKind.Object => "object",
            _ => "null",
        };
    }
}
