using System.Text.Json;
using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Model;

namespace Minuet.Platform.Packages.Rendering;

/// <summary>
/// Cosmos's PackageDefinitionRenderer (≥ 0.4): config.json defaults ← user options, validated as draft 4, then the
/// template rendered with <c>{"resource": resource.json}</c> added; the result must be a JSON object; Cosmos's labels
/// are merged last (overriding the template's); <c>id</c> is replaced when the request names an app id.
/// </summary>
internal static class PackageRenderer
{
    public static async Task<Outcome<JsonObject>> RenderAsync(PackageDefinition package, string sourceUri, JsonObject? options, string? appId)
    {
        string? template = package.MarathonTemplate;
        if (template is null)
        {
            return new CosmosError("ServiceMarathonTemplateNotFound",
                $"Package: [{package.Name}] version: [{package.Version}] does not have a Marathon template defined and can not be rendered",
                new JsonObject { ["packageName"] = package.Name, ["packageVersion"] = package.Version });
        }

        var merged = await MergedOptionsAsync(package, options).ConfigureAwait(false);
        if (!merged.IsSuccess)
        {
            return merged.Error;
        }

        var context = package.Resource is { } resource
            ? JsonMerge.Merge(merged.Value, new JsonObject { ["resource"] = resource.DeepClone() })
            : merged.Value;
        string? text = CosmosMustache.Cosmos.Render(template, MustacheView.From(context, jsonEscapeStrings: true), null, out string? templateError);
        if (text is null)
        {
            return new CosmosError("InvalidMarathonTemplate", $"The Marathon template of package [{package.Name}] does not parse: {templateError}");
        }

        JsonNode? rendered;
        try
        {
            rendered = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            return CosmosErrors.UnableToParseMarathonAsJson(e.Message);
        }

        if (rendered is not JsonObject app)
        {
            return CosmosErrors.MarathonTemplateMustBeJsonObject();
        }

        var labels = app["labels"] switch
        {
            null => new JsonObject(),
            JsonObject o => o,
            _ => null,
        };
        if (labels is null || labels.Any(p => p.Value is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
        {
            return CosmosErrors.InvalidLabels("labels must be an object whose values are strings");
        }

        foreach (var (key, value) in PackageLabels.For(package, sourceUri, options is { Count: > 0 } ? options : null))
        {
            labels[key] = value;
        }

        app["labels"] = labels;
        if (!string.IsNullOrEmpty(appId))
        {
            app["id"] = appId;
        }

        return app;
    }

    /// <summary>Defaults ← options, validated; the options alone are refused when the package has no config.json.</summary>
    public static async Task<Outcome<JsonObject>> MergedOptionsAsync(PackageDefinition package, JsonObject? options)
    {
        var config = package.Config;
        if (config is null)
        {
            return options is { Count: > 0 } ? CosmosErrors.OptionsNotAllowed() : new JsonObject();
        }

        var merged = JsonMerge.Merge(ConfigDefaults.Extract(config), options ?? new JsonObject());
        if (merged.Count > 0)
        {
            var errors = await OptionsValidator.ValidateAsync(config, merged).ConfigureAwait(false);
            if (errors.Count > 0)
            {
                return CosmosErrors.JsonSchemaMismatch(errors);
            }
        }

        return merged;
    }
}
