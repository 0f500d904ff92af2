using System.Text.Json.Nodes;

namespace Minuet.Platform.Packages.Model;

/// <summary>The errors Cosmos answers with, named and worded as Cosmos names and words them.</summary>
internal static class CosmosErrors
{
    public static CosmosError PackageNotFound(string name) =>
        new("PackageNotFound", $"Package [{name}] not found", new JsonObject { ["packageName"] = name });

    public static CosmosError VersionNotFound(string name, string version) =>
        new("VersionNotFound", $"Version [{version}] of package [{name}] not found", new JsonObject { ["packageName"] = name, ["packageVersion"] = version });

    public static CosmosError OptionsNotAllowed() =>
        new("OptionsNotAllowed", "No schema available to validate the provided options");

    public static CosmosError JsonSchemaMismatch(JsonArray errors) =>
        new("JsonSchemaMismatch", "Options JSON failed validation", new JsonObject { ["errors"] = errors });

    public static CosmosError UnableToParseMarathonAsJson(string reason) =>
        new("UnableToParseMarathonAsJson", "Unable to parse the rendered Marathon app as JSON: " + reason);

    public static CosmosError MarathonTemplateMustBeJsonObject() =>
        new("MarathonTemplateMustBeJsonObject", "Rendered Marathon JSON must be a JSON object");

    public static CosmosError InvalidLabels(string reason) =>
        new("InvalidLabelSchema", "The rendered app's labels must map strings to strings: " + reason);

    public static CosmosError PackageAlreadyInstalled() =>
        new("PackageAlreadyInstalled", "Package is already installed", null, 409);

    public static CosmosError MarathonBadResponse(int status, string body) =>
        new("MarathonBadResponse", $"Received response status code {status} from Marathon", MarathonBody(status, body), status is >= 400 and < 500 ? status : 502);

    public static CosmosError MarathonBadGateway(int status) =>
        new("MarathonBadGateway", $"Received response status code {status} from Marathon", new JsonObject { ["marathonStatus"] = status }, 502);

    public static CosmosError ServiceUnavailable(string service, string reason) =>
        new("ServiceUnavailable", $"Unable to complete request because service [{service}] is unavailable: {reason}", new JsonObject { ["serviceName"] = service }, 503);

    public static CosmosError AmbiguousAppId(string name, IEnumerable<string> appIds) =>
        new("AmbiguousAppId", $"Multiple apps named [{name}] are installed: [{string.Join(", ", appIds)}]",
            new JsonObject { ["packageName"] = name, ["appIds"] = new JsonArray(appIds.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()) });

    public static CosmosError PackageNotInstalled(string name) =>
        new("PackageNotInstalled", $"Package [{name}] is not installed", new JsonObject { ["packageName"] = name });

    public static CosmosError MultipleFrameworkIds(string package, string framework, IEnumerable<string> ids) =>
        new("MultipleFrameworkIds", $"Uninstalled package [{package}]. Unable to shutdown [{package}] service framework with name [{framework}] because there are multiple framework ids matching this name: [{string.Join(", ", ids)}]");

    public static CosmosError RepositoryAlreadyPresent(string what, string value) =>
        new("RepositoryAlreadyPresent", $"Repository {what} [{value}] is already present in the list", new JsonObject { [what] = value });

    public static CosmosError RepositoryNotPresent(string what, string value) =>
        new("RepositoryNotPresent", $"Repository {what} [{value}] is not present in the list", new JsonObject { [what] = value });

    public static CosmosError RepositoryAddIndexOutOfBounds(int index, int max) =>
        new("RepositoryAddIndexOutOfBounds", $"Index ({index}) is out of range. Index value must be between 0 and {max} inclusive.",
            new JsonObject { ["attempted"] = index, ["max"] = max });

    public static CosmosError RepositoryUriSyntax(string uri, string reason) =>
        new("RepositoryUriSyntax", $"URI for repository has invalid syntax: {uri} ({reason})", new JsonObject { ["uri"] = uri });

    public static CosmosError RepositoryUnreachable(string name, string uri, string reason) =>
        new("RepositoryUriConnection", $"Could not access data at URI for repository [{name}]: {uri}: {reason}", new JsonObject { ["name"] = name, ["uri"] = uri, ["cause"] = reason });

    public static CosmosError UnsupportedRepositoryVersion(string name, string uri, string contentType) =>
        new("UnsupportedContentType", $"Repository [{name}] at {uri} answered with unsupported Content-Type [{contentType}]", new JsonObject { ["name"] = name, ["uri"] = uri, ["actual"] = contentType });

    public static CosmosError IndexNotFound(string name, string uri, string reason) =>
        new("IndexNotFound", $"Index file missing or invalid for repo [{name}] at {uri}: {reason}", new JsonObject { ["name"] = name, ["uri"] = uri, ["cause"] = reason });

    public static CosmosError InvalidBody(string reason) =>
        new("MalformedRequest", "Request body is malformed: " + reason);

    public static CosmosError MissingField(string field) =>
        new("NotValid", $"Item '{field}' is not valid: it is required", new JsonObject { ["field"] = field });

    private static JsonObject MarathonBody(int status, string body)
    {
        var data = new JsonObject { ["marathonStatus"] = status };
        try
        {
            data["marathonError"] = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            data["marathonError"] = body;
        }

        return data;
    }
}
