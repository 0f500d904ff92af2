using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Sources;

namespace Minuet.Benchmarks.Dns.Tool;

/// <summary>The records every server in the DNS comparison serves: a synthetic state document run through the real builder.</summary>
internal static class DnsBenchFixture
{
    public static DnsRecordOptions Options { get; } = new() { Masters = ["198.18.0.1:5050"] };

    public static DnsRecordSet FromStateFile(string path, uint serial = 1)
    {
        var parsed = MesosStateParser.Parse(File.ReadAllBytes(path));
        if (!parsed.IsSuccess)
        {
            throw new InvalidDataException($"{path}: {parsed.Error}");
        }

        return new DnsRecordBuilder(Options).Build(parsed.State, serial: serial);
    }
}
