using System.Text.Json;
using Minuet.Platform.Jobs.Validation;

namespace Minuet.Jobs.Tests;

public sealed class ValidationTests
{
    private static FieldErrors Errors(string json)
    {
        var errors = new FieldErrors();
        using var doc = JsonDocument.Parse(json);
        Assert.Null(JobParser.Parse(doc.RootElement, errors));
        return errors;
    }

    private static string Job(string schedule, string id = "nightly") =>
        $$"""{"id":"{{id}}","run":{"cmd":"true","cpus":0.1,"mem":32,"disk":0},"schedules":[{{schedule}}]}""";

    [Theory]
    [InlineData("""{"cron":"0 0 2 * * *"}""", "/schedules/0/cron", "has 6 fields; expected 5")]
    [InlineData("""{"cron":"61 * * * *"}""", "/schedules/0/cron", "is not a valid 5-field cron")]
    [InlineData("""{"cron":"0 2 * * *","timezone":"Mars/Olympus_Mons"}""", "/schedules/0/timezone", "is not a known IANA time zone")]
    [InlineData("""{"cron":"0 2 * * *","timezone":"PST"}""", "/schedules/0/timezone", "is not an IANA time zone name")]
    [InlineData("""{"cron":"0 2 * * *","startingDeadlineSeconds":5}""", "/schedules/0/startingDeadlineSeconds", "at least 60")]
    [InlineData("""{"cron":"0 2 * * *","concurrencyPolicy":"SOMETIMES"}""", "/schedules/0/concurrencyPolicy", "ALLOW, FORBID or REPLACE")]
    [InlineData("""{"cron":"0 2 * * *","missedRuns":"ALL"}""", "/schedules/0/missedRuns", "RUN_ONCE or SKIP")]
    [InlineData("""{"timezone":"UTC"}""", "/schedules/0/cron", "is required")]
    public void Parse_BadSchedule_ErrorNamesTheField(string schedule, string path, string message)
    {
        var errors = Errors(Job(schedule));
        Assert.Contains(errors.List, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Nightly", "lowercase")]
    [InlineData("a..b", "lowercase")]
    [InlineData("bad_id", "lowercase")]
    [InlineData("", "is required")]
    public void Parse_BadId_ErrorNamesId(string id, string message)
    {
        var errors = Errors(Job("""{"cron":"0 2 * * *"}""", id));
        Assert.Contains(errors.List, e => e.Path == "/id" && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SelfDependency_Refused()
    {
        var errors = Errors("""{"id":"a","run":{"cmd":"true","cpus":0.1,"mem":32,"disk":0},"dependencies":[{"id":"a"}]}""");
        Assert.Contains(errors.List, e => e.Path == "/dependencies" && e.Message.Contains("cannot depend on itself", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SchedulesAndDependencies_Refused()
    {
        var errors = Errors("""{"id":"a","run":{"cmd":"true","cpus":0.1,"mem":32,"disk":0},"dependencies":["b"],"schedules":[{"cron":"0 2 * * *"}]}""");
        Assert.Contains(errors.List, e => e.Path == "/dependencies" && e.Message.Contains("not both", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MissingResourcesAndCommand_EachNamed()
    {
        var errors = Errors("""{"id":"a","run":{}}""");
        Assert.Equal(["/run/cmd", "/run/cpus", "/run/disk", "/run/mem"], errors.List.Select(e => e.Path).Order());
    }

    [Theory]
    [InlineData("""{"name":"x","command":"date","schedule":"R/2026-01-01T00:00:00Z/PXT1M"}""", "/schedule", "period 'PXT1M' is not an ISO 8601 duration")]
    [InlineData("""{"name":"x","command":"date","schedule":"every minute"}""", "/schedule", "expected R[n]/[start]/period")]
    [InlineData("""{"name":"x","command":"date","schedule":"R/yesterday/PT1M"}""", "/schedule", "start 'yesterday' is not an ISO 8601 date-time")]
    [InlineData("""{"name":"x","command":"date","schedule":"R/2026-01-01T00:00:00Z/PT1M","scheduleTimeZone":"Nowhere/Land"}""", "/scheduleTimeZone", "not a known IANA time zone")]
    [InlineData("""{"name":"x y","command":"date","schedule":"R//PT1M"}""", "/name", "only letters, digits")]
    public void Chronos_BadInput_ErrorNamesTheField(string json, string path, string message)
    {
        var errors = new FieldErrors();
        using var doc = JsonDocument.Parse(json);
        Assert.Null(ChronosParser.Parse(doc.RootElement, dependency: false, DateTimeOffset.UnixEpoch, errors));
        Assert.Contains(errors.List, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Chronos_EmptyStart_FixedToPostingTime()
    {
        var errors = new FieldErrors();
        using var doc = JsonDocument.Parse("""{"name":"x","command":"date","schedule":"R5//PT1H"}""");
        var spec = ChronosParser.Parse(doc.RootElement, dependency: false, DateTimeOffset.Parse("2026-05-04T03:02:01Z", System.Globalization.CultureInfo.InvariantCulture), errors);
        Assert.Equal("R5/2026-05-04T03:02:01Z/PT1H", spec!.Schedules[0].Iso8601);
    }
}
