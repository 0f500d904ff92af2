using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Rendering;

namespace Minuet.Packages.Tests.Rendering;

/// <summary>
/// mustache/spec's interpolation, sections and inverted suites (test data in Fixtures/mustache-spec), run through the
/// same Stubble set-up and value conversion the package service uses, with HTML escaping on as the spec requires.
/// Differences that Cosmos's own semantics impose are listed in <see cref="Differences"/> with their reason.
/// </summary>
public sealed class MustacheSpecTests
{
    /// <summary>Spec cases whose expectation Cosmos (mustache.java) deliberately does not meet; none so far.</summary>
    private static readonly Dictionary<string, string> Differences = new(StringComparer.Ordinal);

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var suite in new[] { "interpolation", "sections", "inverted" })
        {
            foreach (var test in Load(suite).OfType<JsonNode>())
            {
                data.Add(suite, test["name"]!.GetValue<string>());
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Spec_Case_RendersTheExpectedText(string suite, string name)
    {
        var test = Load(suite).OfType<JsonNode>().Single(t => t["name"]!.GetValue<string>() == name);
        if (Differences.ContainsKey(suite + "/" + name))
        {
            return;
        }

        var partials = test["partials"] is JsonObject p ? p.ToDictionary(x => x.Key, x => x.Value!.GetValue<string>()) : null;
        string? output = CosmosMustache.Spec.Render(test["template"]!.GetValue<string>(), MustacheView.From(test["data"], jsonEscapeStrings: false), partials, out string? error);
        Assert.Null(error);
        Assert.Equal(test["expected"]!.GetValue<string>(), output);
    }

    [Fact]
    public void CosmosMode_ZeroFalseStringAndBlank_AreTruthyAsInMustacheJava()
    {
        // Stubble alone takes 0, "0", "false" and " " as false; mustache.java (Cosmos) takes them as true.
        var view = MustacheView.From(JsonNode.Parse("""{"zero":0,"s0":"0","sf":"false","blank":" ","empty":"","no":false,"list":[],"none":null}"""), jsonEscapeStrings: true);
        string? text = CosmosMustache.Cosmos.Render("{{#zero}}Z{{/zero}}{{#s0}}A{{/s0}}{{#sf}}B{{/sf}}{{#blank}}C{{/blank}}{{#empty}}E{{/empty}}{{#no}}N{{/no}}{{#list}}L{{/list}}{{#none}}U{{/none}}{{#missing}}M{{/missing}}", view, null, out _);
        Assert.Equal("ZABC", text);
    }

    [Fact]
    public void CosmosMode_StringsJsonEscapedNotHtmlEscaped_ListsPrintWithQuotes()
    {
        var view = MustacheView.From(JsonNode.Parse("""{"s":"a \"b\" <c> & \\ \n","l":["x","y"],"n":[1,2.5],"big":1e15,"mem":1024.0,"small":0.0001}"""), jsonEscapeStrings: true);
        Assert.Equal("a \\\"b\\\" <c> & \\\\ \\n", CosmosMustache.Cosmos.Render("{{s}}", view, null, out _));
        Assert.Equal("a \\\"b\\\" <c> & \\\\ \\n", CosmosMustache.Cosmos.Render("{{{s}}}", view, null, out _));
        Assert.Equal("[\"x\", \"y\"] [1, 2.5]", CosmosMustache.Cosmos.Render("{{l}} {{n}}", view, null, out _));
        Assert.Equal("1000000000000000 1024 1.0E-4", CosmosMustache.Cosmos.Render("{{big}} {{mem}} {{small}}", view, null, out _));
    }

    [Fact]
    public void CosmosMode_NameInsideSection_IsFoundUpTheContextStack()
    {
        var view = MustacheView.From(JsonNode.Parse("""{"top":"T","a":{"port":0,"items":[{"k":1},{"k":2}]}}"""), jsonEscapeStrings: true);
        Assert.Equal("--p 0 1T2T", CosmosMustache.Cosmos.Render("{{#a.port}}--p {{a.port}} {{/a.port}}{{#a.items}}{{k}}{{top}}{{/a.items}}", view, null, out _));
    }

    private static JsonArray Load(string suite) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mustache-spec", suite + ".json")))!["tests"]!.AsArray();
}
