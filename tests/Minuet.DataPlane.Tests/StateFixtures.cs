using Minuet.DataPlane.Model;
using Minuet.DataPlane.Sources;

namespace Minuet.DataPlane.Tests;

/// <summary>The Mesos-DNS reference state documents, parsed.</summary>
internal static class StateFixtures
{
    public const string Current = "state-fake.json";
    public const string Dcos113 = "state-fake-dcos-1.13.json";

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "TestData", "mesos-dns", file);

    public static byte[] Bytes(string file) => File.ReadAllBytes(PathOf(file));

    public static ClusterState Load(string file)
    {
        var result = MesosStateParser.Parse(Bytes(file));
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.State;
    }
}
