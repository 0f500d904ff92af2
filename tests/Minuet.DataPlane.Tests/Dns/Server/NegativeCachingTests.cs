using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Host;
using Minuet.DataPlane.Model;
using Minuet.DataPlane.Tests.Http;

namespace Minuet.DataPlane.Tests.Dns.Server;

/// <summary>
/// A caching resolver in front of the data plane: a name looked up before its app exists must resolve within the
/// negative TTL once the snapshot gains it, not a whole name TTL later.
/// </summary>
public sealed class NegativeCachingTests
{
    private const int NegativeTtl = 2;
    private const string Late = "late-app.marathon.mesos";
    private const string LateSrv = "_late-app._tcp.marathon.mesos";

    [UnboundFact]
    public async Task Unbound_NameDeployedRightAfterAFailedLookup_ResolvesWithinTheNegativeTtl()
    {
        string dir = Directory.CreateTempSubdirectory("minuet-negttl-").FullName;
        try
        {
            string stateFile = Path.Combine(dir, "state.json");
            var state = JsonNode.Parse(StateFixtures.Bytes(StateFixtures.Current))!;
            await File.WriteAllTextAsync(stateFile, state.ToJsonString());
            await using var host = await RunningHostFixture.StartWithRetryAsync(new DataPlaneOptions
            {
                StateFile = stateFile,
                HttpListen = new IPEndPoint(IPAddress.Loopback, 0),
                DnsListen = new IPEndPoint(IPAddress.Loopback, 0),
                L4lb = false,
                Forward = false,
                Ttl = 60,
                NegativeTtl = NegativeTtl,
            });
            await using var unbound = await UnboundRunner.StartAsync("mesos", host.DnsEndPoint!, TimeSpan.FromSeconds(15));

            // Started before the first lookup, so the elapsed time it reads is never shorter than the cache's.
            var clock = Stopwatch.StartNew();
            var failed = await unbound.AskAsync(Late, DnsRecordType.A);
            Assert.NotNull(failed);
            Assert.Equal(DnsRcode.NxDomain, failed.Rcode);
            var soa = Assert.Single(failed.Authority);
            Assert.True(soa.Ttl <= NegativeTtl, $"the resolver may cache the absence for {soa.Ttl} s");
            var failedSrv = await unbound.AskAsync(LateSrv, DnsRecordType.Srv);
            Assert.Equal(DnsRcode.NxDomain, failedSrv!.Rcode);

            // The app starts: car.store's running task (two ports) becomes late-app.
            var published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnPublished(DataPlaneSnapshot s)
            {
                if (s.Records.Names.ContainsKey(Late))
                {
                    published.TrySetResult();
                }
            }

            host.Store.Published += OnPublished;
            var task = state["frameworks"]!.AsArray().SelectMany(f => f!["tasks"]!.AsArray()).Single(t => (string?)t!["name"] == "car.store")!;
            task["name"] = "late-app";
            await File.WriteAllTextAsync(stateFile, state.ToJsonString());
            await published.Task.WaitAsync(TimeSpan.FromSeconds(10));
            var publishedAt = clock.Elapsed;
            host.Store.Published -= OnPublished;

            // Still inside the negative TTL the resolver answers from its cache: the caching is real.
            var cached = await unbound.AskAsync(Late, DnsRecordType.A);
            if (clock.Elapsed < TimeSpan.FromSeconds(NegativeTtl - 0.5))
            {
                Assert.Equal(DnsRcode.NxDomain, cached!.Rcode);
            }

            // Found once both the cached absence has expired and the snapshot has the name, give or take polling.
            var limit = TimeSpan.FromSeconds(Math.Max(NegativeTtl, publishedAt.TotalSeconds) + 10); // loose: a loaded CI stalls; a cache keeping the absence for good would not
            foreach (var (name, type) in new[] { (Late, DnsRecordType.A), (LateSrv, DnsRecordType.Srv) })
            {
                ParsedMessage? found = null;
                while (clock.Elapsed < TimeSpan.FromSeconds(30))
                {
                    found = await unbound.AskAsync(name, type);
                    if (found is { Rcode: DnsRcode.NoError, Answers.Count: > 0 })
                    {
                        break;
                    }

                    await Task.Delay(100);
                }

                Assert.True(found is { Rcode: DnsRcode.NoError, Answers.Count: > 0 }, $"{name} never resolved through the cache ({found?.Rcode})");
                Assert.True(clock.Elapsed <= limit, $"{name} resolved only {clock.Elapsed.TotalSeconds:F1} s after the failed lookup (negative TTL {NegativeTtl} s, published at {publishedAt.TotalSeconds:F1} s)");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
