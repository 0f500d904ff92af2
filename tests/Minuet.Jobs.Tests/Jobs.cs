using System.Text.Json;
using Minuet.Platform.Jobs.Model;
using Minuet.Platform.Jobs.Validation;

namespace Minuet.Jobs.Tests;

/// <summary>Job specs for tests, written as the API's JSON so the parser is on the path.</summary>
internal static class Jobs
{
    public static JobSpec Parse(string json)
    {
        var errors = new FieldErrors();
        using var doc = JsonDocument.Parse(json);
        var spec = JobParser.Parse(doc.RootElement, errors);
        Assert.False(errors.Any, errors.ToString());
        return spec!;
    }

    public static JobSpec Cron(string id, string cron, string zone = "UTC", string extra = "") =>
        Parse($$"""{"id":"{{id}}","run":{"cmd":"true","cpus":0.1,"mem":32,"disk":0},"schedules":[{"id":"s","cron":"{{cron}}","timezone":"{{zone}}"{{extra}}}]}""");

    public static JobSpec Plain(string id, params string[] parents) =>
        Parse($$"""{"id":"{{id}}","run":{"cmd":"true","cpus":0.1,"mem":32,"disk":0},"dependencies":[{{string.Join(",", parents.Select(p => $"{{\"id\":\"{p}\"}}"))}}]}""");

    public static JobSpec WithRestart(string id, string restart) =>
        Parse("{\"id\":\"" + id + "\",\"run\":{\"cmd\":\"false\",\"cpus\":0.1,\"mem\":32,\"disk\":0,\"restart\":" + restart + "}}");
}
