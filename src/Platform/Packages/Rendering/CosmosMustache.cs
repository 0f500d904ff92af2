using Stubble.Core;
using Stubble.Core.Builders;
using Stubble.Core.Exceptions;
using Stubble.Core.Settings;

namespace Minuet.Platform.Packages.Rendering;

/// <summary>
/// Stubble set up to render as Cosmos's mustache.java does: names looked up through the context stack (dotted names
/// too), lists iterated, objects pushed, truthiness as mustache.java's (see <see cref="MustacheString"/>), and no HTML
/// escaping (Cosmos ≥ 0.4 JSON-escapes strings before rendering instead). <see cref="Spec"/> keeps Stubble's HTML
/// escaping, which the mustache spec requires of <c>{{x}}</c>.
/// </summary>
internal sealed class CosmosMustache
{
    private static readonly StubbleVisitorRenderer Renderer = new StubbleBuilder()
        .Configure(settings =>
        {
            settings.AddTruthyCheck<MustacheString>(s => !s.IsEmpty);
            settings.AddTruthyCheck<MustacheBoolean>(b => b.Value);
            settings.AddTruthyCheck<MustacheNumber>(_ => true);
            settings.SetIgnoreCaseOnKeyLookup(false);
        })
        .Build();

    private readonly RenderSettings _settings;

    private CosmosMustache(bool htmlEscape) =>
        _settings = new RenderSettings { SkipHtmlEncoding = !htmlEscape, ThrowOnDataMiss = false, SkipRecursiveLookup = false };

    /// <summary>Rendering as Cosmos ≥ 0.4 does.</summary>
    public static CosmosMustache Cosmos { get; } = new(htmlEscape: false);

    /// <summary>Plain mustache (HTML-escaping <c>{{x}}</c>), for the spec's test cases.</summary>
    public static CosmosMustache Spec { get; } = new(htmlEscape: true);

    /// <summary>The rendered text, or null with the reason when the template does not parse.</summary>
    public string? Render(string template, object? view, IDictionary<string, string>? partials, out string? error)
    {
        error = null;
        try
        {
            return partials is null
                ? Renderer.Render(template, view, _settings)
                : Renderer.Render(template, view, partials, _settings);
        }
        catch (StubbleException e)
        {
            error = e.Message;
            return null;
        }
    }
}
