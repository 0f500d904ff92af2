using Minuet.ControlPlane.Agent.Configuration;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Agent;

public sealed class ResourceStringParserTests
{
    private static readonly ResourceSet Defaults = new() { Cpus = 8, Mem = 4096, Disk = 1000, Ports = [new PortRange(31000, 32000)] };

    [Fact]
    public void Parse_IssueExample_GivesScalarsAndRanges()
    {
        var result = ResourceStringParser.Parse("cpus:2;mem:2048;ports:[31000-32000]", Defaults);

        Assert.True(result.Ok, result.Error);
        var set = result.Value!.Unreserved;
        Assert.Equal(2, set.Cpus);
        Assert.Equal(2048, set.Mem);
        Assert.Equal(1000, set.Disk);
        Assert.Equal([new PortRange(31000, 32000)], set.Ports);
        Assert.Empty(result.Value.Reserved);
    }

    [Fact]
    public void Parse_SeveralRangesUnsortedAndSinglePort_AreSorted()
    {
        var result = ResourceStringParser.Parse("ports:[33000-33010, 31000-31005,40000]", Defaults);

        Assert.True(result.Ok, result.Error);
        Assert.Equal([new PortRange(31000, 31005), new PortRange(33000, 33010), new PortRange(40000, 40000)], result.Value!.Unreserved.Ports);
        Assert.Equal("[31000-31005, 33000-33010, 40000-40000]", result.Value.Unreserved.PortsToMesosString());
    }

    [Fact]
    public void Parse_RoleReservation_GoesToReservedPool()
    {
        var result = ResourceStringParser.Parse("cpus:1;cpus(ads):2;mem(ads):512", Defaults);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(1, result.Value!.Unreserved.Cpus);
        Assert.Equal(2, result.Value.Reserved["ads"].Cpus);
        Assert.Equal(512, result.Value.Reserved["ads"].Mem);
    }

    [Fact]
    public void Parse_EmptyText_UsesDefaults()
    {
        var result = ResourceStringParser.Parse(null, Defaults);

        Assert.True(result.Ok);
        Assert.Equal(Defaults, result.Value!.Unreserved);
    }

    [Theory]
    [InlineData("cpus:2;mem:lots", "resource part 2 'mem:lots'", "'lots' is not a number")]
    [InlineData("cpus", "resource part 1 'cpus'", "expected name:value")]
    [InlineData("cpu:2", "'cpu:2'", "unknown resource 'cpu'")]
    [InlineData("cpus:-1", "'cpus:-1'", "must not be negative")]
    [InlineData("ports:31000-32000", "'ports:31000-32000'", "not a range list")]
    [InlineData("ports:[32000-31000]", "[32000-31000]", "begin <= end")]
    [InlineData("ports:[1-70000]", "[1-70000]", "<= 65535")]
    [InlineData("ports:[10-20,15-30]", "ports:[10-20,15-30]", "overlap")]
    [InlineData("ports:[a-b]", "[a-b]", "whole numbers")]
    [InlineData("cpus:1;cpus:2", "resource part 2", "given twice")]
    [InlineData("cpus(:1", "'cpus(:1'", "name(role)")]
    [InlineData("cpus():1", "'cpus():1'", "not a valid role")]
    public void Parse_BadPart_ErrorNamesThePartAndReason(string text, string part, string reason)
    {
        var result = ResourceStringParser.Parse(text, Defaults);

        Assert.False(result.Ok);
        Assert.StartsWith("--resources: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(part, result.Error, StringComparison.Ordinal);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseAttributes_GoodAndBad_GivesMapOrNamedError()
    {
        var good = AttributeParser.Parse("rack:r1; zone:us-east-1a");
        var bad = AttributeParser.Parse("rack:r1;zone");
        var twice = AttributeParser.Parse("rack:r1;rack:r2");

        Assert.True(good.Ok);
        Assert.Equal("us-east-1a", good.Value!["zone"]);
        Assert.Contains("part 2 'zone'", bad.Error, StringComparison.Ordinal);
        Assert.Contains("given twice", twice.Error, StringComparison.Ordinal);
    }
}
