using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Minuet.TestSupport;

namespace Minuet.Ui.Tests;

/// <summary>
/// The walk-through in a real browser against a real <c>minuet up</c> (auth on, in a namespace): log in,
/// create an app with the form (health check, Load Balanced), watch it go healthy without reloading, scale it to 3,
/// read a task's stdout, find its VIP on Network, install hello-world from the Catalog with an option changed,
/// destroy both. Every page is photographed to the test output's <c>screenshots/</c>.
/// </summary>
public sealed partial class UiWalkthroughNetnsTests
{
    private const string AppId = "ui-walk";
    private const string Marker = "ui-walk-started";

    private static readonly PageAssertionsToHaveURLOptions UrlWait = new() { Timeout = (float)Browser.Patience.TotalMilliseconds };
    private static readonly LocatorAssertionsToHaveTextOptions TextWait = new() { Timeout = (float)Browser.Patience.TotalMilliseconds };
    private static readonly LocatorAssertionsToContainTextOptions ContainWait = new() { Timeout = (float)Browser.Patience.TotalMilliseconds };
    private static readonly LocatorAssertionsToHaveCountOptions CountWait = new() { Timeout = (float)Browser.Patience.TotalMilliseconds };
    private static readonly LocatorAssertionsToBeVisibleOptions VisibleWait = new() { Timeout = (float)Browser.Patience.TotalMilliseconds };

    [NetnsFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Walkthrough_FormAppScaleLogsVipCatalogDestroy_AllFromTheBrowser()
    {
        Assert.True(File.Exists(UiCluster.Chromium), $"{UiCluster.Chromium} is missing: apt-get install chromium (test.sh does)");
        await using var cluster = UiCluster.Start();
        await cluster.WaitRunningAsync(TimeSpan.FromMinutes(4));
        Assert.Contains("Web UI: http://127.0.0.1:80/", cluster.Output, StringComparison.Ordinal);
        await using var browser = await Browser.LaunchAsync(cluster.ChromiumWrapper);
        var page = browser.Page;
        var console = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") { lock (console) { console.Add(m.Text); } } };

        // Log in (the first login creates the user).
        await page.GotoAsync(UiCluster.Url);
        await Assertions.Expect(page.GetByLabel("User name")).ToBeVisibleAsync(VisibleWait);
        await browser.ScreenshotAsync("01-login");
        await page.GetByLabel("User name").FillAsync("alice");
        await page.GetByLabel("Password").FillAsync("correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Allocated resources" })).ToBeVisibleAsync(VisibleWait);
        await browser.ScreenshotAsync("02-dashboard");

        // Create the app with the form: a port with Load Balanced, an HTTP health check.
        await Nav(page, "Services").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Run a service" }).ClickAsync();
        await page.GetByLabel("Service ID").FillAsync(AppId);
        await page.GetByLabel("Instances").FillAsync("1");
        await page.GetByLabel("CPUs").FillAsync("0.1");
        await page.GetByLabel("Memory (MiB)").FillAsync("64");
        await page.GetByLabel("Command").FillAsync($"echo {Marker}; exec dotnet {UiCluster.MinuetDll} test-server");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add port" }).ClickAsync();
        await page.Locator("input[name=port-name-0]").FillAsync("http");
        await page.GetByLabel("Load Balanced").CheckAsync();
        await page.Locator("input[name=vip-port-0]").FillAsync("80");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add health check" }).ClickAsync();
        await page.Locator("input[name=hc-path-0]").FillAsync("/health");
        await page.Locator("input[name=hc-interval-0]").FillAsync("2");
        await page.Locator("input[name=hc-grace-0]").FillAsync("60");
        await browser.ScreenshotAsync("03-service-form");

        // Marathon's 422 shows beside the field it names; fixed, the same form goes through.
        await page.GetByLabel("Instances").FillAsync("-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run service" }).ClickAsync();
        await Assertions.Expect(page.Locator(".field-error[data-field=instances]")).ToBeVisibleAsync(VisibleWait);
        await browser.ScreenshotAsync("03b-service-form-422");
        await page.GetByLabel("Instances").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run service" }).ClickAsync();

        // The detail page follows Marathon's events: healthy without a reload.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/services/app/"), UrlWait);
        await Assertions.Expect(page.GetByTestId("healthy")).ToHaveTextAsync("1", TextWait);
        string vipLabel = await page.EvaluateAsync<string>($"fetch('/marathon/v2/apps/{AppId}').then(r => r.json()).then(j => j.app.portDefinitions[0].labels.VIP_0)");
        Assert.Equal($"/{AppId}:80", vipLabel);
        await browser.ScreenshotAsync("04-service-healthy");

        // Scale to 3 and see the three tasks.
        await page.GetByRole(AriaRole.Button, new() { Name = "Scale", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByLabel("Instances").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Scale service" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("running")).ToHaveTextAsync("3", TextWait);
        await Assertions.Expect(page.Locator("tr[data-task]")).ToHaveCountAsync(3, CountWait);
        await Assertions.Expect(page.GetByTestId("healthy")).ToHaveTextAsync("3", TextWait);
        await browser.ScreenshotAsync("05-service-scaled");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Configuration" }).ClickAsync();
        await browser.ScreenshotAsync("06-service-config");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Versions" }).ClickAsync();
        await page.Locator(".versions li button").Last.ClickAsync();
        await Assertions.Expect(page.Locator("pre.diff")).ToContainTextAsync("\"instances\"", ContainWait);
        await browser.ScreenshotAsync("07-service-versions");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Tasks" }).ClickAsync();

        // A task's stdout through Admin Router's /agent/<id>/files.
        await page.Locator("tr[data-task] a", new() { HasText = "stdout" }).First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("log")).ToContainTextAsync(Marker, ContainWait);
        await browser.ScreenshotAsync("08-task-stdout");

        // The services list, live.
        await Nav(page, "Services").ClickAsync();
        await Assertions.Expect(page.Locator($"tr[data-app='/{AppId}'] [data-col=running]")).ToHaveTextAsync("3/3", TextWait);
        await browser.ScreenshotAsync("09-services");
        await Nav(page, "Dashboard").ClickAsync();
        await Assertions.Expect(page.Locator("figure.donut").First).ToContainTextAsync("Running: 3", ContainWait);
        await browser.ScreenshotAsync("09-dashboard-busy");

        // Its VIP on the Network page, with healthy backends.
        await Nav(page, "Network").ClickAsync();
        var vipRow = page.Locator($"tr[data-vip='{AppId}']");
        await Assertions.Expect(vipRow).ToContainTextAsync("healthy", ContainWait);
        await Assertions.Expect(vipRow.Locator(".health-healthy")).ToHaveCountAsync(3, CountWait);
        await browser.ScreenshotAsync("10-network");

        await Nav(page, "Nodes").ClickAsync();
        await Assertions.Expect(page.Locator("article[data-agent]").First).ToBeVisibleAsync(VisibleWait);
        await browser.ScreenshotAsync("11-nodes");

        await Nav(page, "Jobs").ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(new Regex("Jobs service not available|No jobs|Run now"), ContainWait);
        await browser.ScreenshotAsync("12-jobs");

        // hello-world from the Catalog, with its message changed in the form.
        await Nav(page, "Catalog").ClickAsync();
        await page.GetByLabel("Search packages").FillAsync("hello");
        await browser.ScreenshotAsync("13-catalog");
        await page.Locator("a[data-package=hello-world]").ClickAsync();
        await page.Locator("input[name='service.message']").FillAsync("Hello from the UI test");
        await browser.ScreenshotAsync("14-catalog-install");
        await page.GetByRole(AriaRole.Button, new() { Name = "Install hello-world" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Installed", ContainWait);
        string message = await page.EvaluateAsync<string>("fetch('/marathon/v2/apps/hello-world').then(r => r.json()).then(j => j.app.env.HELLO_MESSAGE)");
        Assert.Equal("Hello from the UI test", message);

        // Narrow and dark: the same pages work (menu behind a button).
        await using (var narrow = await Browser.LaunchAsync(cluster.ChromiumWrapper, ColorScheme.Dark, 390, 844))
        {
            await narrow.Context.AddCookiesAsync((await browser.Context.CookiesAsync()).Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path }));
            await narrow.Page.GotoAsync(UiCluster.Url + "#/services");
            await Assertions.Expect(narrow.Page.Locator($"tr[data-app='/{AppId}']")).ToBeVisibleAsync(VisibleWait);
            await narrow.Page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
            await Assertions.Expect(Nav(narrow.Page, "Network")).ToBeVisibleAsync(VisibleWait);
            await narrow.ScreenshotAsync("15-narrow-dark-services");
        }

        // Destroy both, each confirmed in its dialog.
        await DestroyAsync(page, "/hello-world");
        await DestroyAsync(page, "/" + AppId);
        await Assertions.Expect(page.Locator("tr[data-app]")).ToHaveCountAsync(0, CountWait);
        string left = await page.EvaluateAsync<string>("fetch('/marathon/v2/apps').then(r => r.json()).then(j => j.apps.map(a => a.id).join(','))");
        Assert.Equal(string.Empty, left);
        lock (console)
        {
            Assert.True(console.All(m => m.Contains("Failed to load resource", StringComparison.Ordinal)), "console errors:\n" + string.Join('\n', console));
        }
    }

    /// <summary>A page's link in the navigation (pages link to each other too).</summary>
    private static ILocator Nav(IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Pages" }).GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    private static async Task DestroyAsync(IPage page, string id)
    {
        await page.GotoAsync(page.Url.Split('#')[0] + "#/services/app/" + Uri.EscapeDataString(id));
        await page.GetByRole(AriaRole.Button, new() { Name = "Destroy", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("cannot be undone", ContainWait);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Destroy" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/services$"), UrlWait);
        await Assertions.Expect(page.Locator($"tr[data-app='{id}']")).ToHaveCountAsync(0, CountWait);
    }
}
