using Microsoft.AspNetCore.Http;
using Minuet.Platform.Ui.Hosting;

namespace Minuet.Ui.Tests;

/// <summary>The bundle the build embeds, and how the hosts answer its paths.</summary>
public sealed class UiStaticFilesTests
{
    [Theory]
    [InlineData("/index.html", "text/html")]
    [InlineData("/assets/app.js", "text/javascript")]
    [InlineData("/assets/style.css", "text/css")]
    public void Bundle_BuiltByDotnetBuild_IsEmbeddedWithItsType(string path, string type)
    {
        var asset = UiAssets.Find(path);

        Assert.NotNull(asset);
        Assert.True(asset.Content.Length > 0, path + " is empty");
        Assert.StartsWith(type, asset.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Root_AnswersThePageThatLoadsTheBundle()
    {
        var context = Request("GET", "/");

        await UiStaticFiles.ServeAsync(context);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("no-cache", context.Response.Headers.CacheControl.ToString());
        string body = Body(context);
        Assert.Contains("/assets/app.js", body, StringComparison.Ordinal);
        Assert.Contains("/assets/style.css", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_SameETag_Answers304WithNoBody()
    {
        var first = Request("GET", "/assets/app.js");
        await UiStaticFiles.ServeAsync(first);
        var again = Request("GET", "/assets/app.js");
        again.Request.Headers.IfNoneMatch = first.Response.Headers.ETag.ToString();

        await UiStaticFiles.ServeAsync(again);

        Assert.Equal(304, again.Response.StatusCode);
        Assert.Equal(string.Empty, Body(again));
    }

    [Theory]
    [InlineData("POST", "/", 405)]
    [InlineData("GET", "/assets/missing.js", 404)]
    public async Task Serve_WrongMethodOrUnknownAsset_Refused(string method, string path, int status)
    {
        var context = Request(method, path);

        await UiStaticFiles.ServeAsync(context);

        Assert.Equal(status, context.Response.StatusCode);
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/index.html", true)]
    [InlineData("/assets/app.js", true)]
    [InlineData("/marathon/v2/apps", false)]
    [InlineData("/assetsx", false)]
    public void Owns_OnlyTheUiPaths(string path, bool owned) => Assert.Equal(owned, UiStaticFiles.Owns(path));

    private static DefaultHttpContext Request(string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string Body(DefaultHttpContext context) => System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
