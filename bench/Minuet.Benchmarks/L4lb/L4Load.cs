using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Minuet.Benchmarks.L4lb;

/// <summary>
/// The load driver for the L4 end-to-end benchmark (run inside network namespaces by bench/scripts/l4lb.sh):
/// <list type="bullet">
/// <item><c>l4load serve IP:PORT</c>: accept; a client that sends <c>D</c> gets <c>--bytes</c> back, one that
/// sends <c>U</c> uploads until it closes; plain connects are simply closed by the client.</item>
/// <item><c>l4load connect IP:PORT[,IP:PORT...] --seconds S --concurrency C --sources A-B</c>: new connections in a loop,
/// each closed first by the client with SO_LINGER 0 (a reset, so no TIME_WAIT anywhere), source addresses
/// spread over a range; prints <c>rate=... p50_us=... p99_us=... errors=...</c>.</item>
/// <item><c>l4load download|upload IP:PORT --bytes N</c>: one transfer; prints <c>seconds=...</c>.</item>
/// </list>
/// </summary>
internal static class L4Load
{
    public const string Verb = "l4load";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 3 && args[0] == "state")
        {
            // l4load state VIPS BACKENDS: a Mesos state document with VIPS IP VIPs x BACKENDS tasks, on stdout.
            WriteState(Console.Out, int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
            return 0;
        }

        var targets = args.Length < 2 ? [] : args[1].Split(',').Select(t => IPEndPoint.TryParse(t, out var e) ? e : null).ToArray();
        if (targets.Length == 0 || targets.Any(t => t is null))
        {
            await Console.Error.WriteLineAsync("usage: l4load serve|connect|download|upload IP:PORT [--seconds S] [--concurrency C] [--sources A.B.C.D-E] [--bytes N]").ConfigureAwait(false);
            return 2;
        }

        var options = Options(args[2..]);
        var endpoint = targets[0]!;
        return args[0] switch
        {
            "serve" => await ServeAsync(endpoint, long.Parse(options.GetValueOrDefault("bytes", "1073741824"), CultureInfo.InvariantCulture)).ConfigureAwait(false),
            "connect" => await ConnectAsync(targets!, options).ConfigureAwait(false),
            "download" => await TransferAsync(endpoint, download: true, long.Parse(options.GetValueOrDefault("bytes", "1073741824"), CultureInfo.InvariantCulture)).ConfigureAwait(false),
            "upload" => await TransferAsync(endpoint, download: false, long.Parse(options.GetValueOrDefault("bytes", "1073741824"), CultureInfo.InvariantCulture)).ConfigureAwait(false),
            _ => 2,
        };
    }

    private static void WriteState(TextWriter output, int vips, int backends)
    {
        const int Agents = 100;
        output.Write("{\"frameworks\":[{\"id\":\"fw\",\"name\":\"marathon\",\"tasks\":[");
        for (int v = 0; v < vips; v++)
        {
            string vip = $"198.19.{1 + (v / 250)}.{1 + (v % 250)}:80";
            for (int b = 0; b < backends; b++)
            {
                int port = 20000 + ((v * backends) + b) % 40000;
                if (v + b > 0)
                {
                    output.Write(',');
                }

                output.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"id\":\"app{v}.{b}\",\"name\":\"app{v}\",\"framework_id\":\"fw\",\"slave_id\":\"a{(v + b) % Agents}\",\"state\":\"TASK_RUNNING\"," +
                    $"\"resources\":{{\"ports\":\"[{port}-{port}]\"}},\"discovery\":{{\"name\":\"app{v}\",\"ports\":{{\"ports\":[{{\"number\":{port},\"protocol\":\"tcp\"," +
                    $"\"labels\":{{\"labels\":[{{\"key\":\"VIP_0\",\"value\":\"{vip}\"}}]}}}}]}}}},\"statuses\":[{{\"state\":\"TASK_RUNNING\",\"timestamp\":1}}]}}"));
            }
        }

        output.Write("]}],\"slaves\":[");
        for (int a = 0; a < Agents; a++)
        {
            output.Write(string.Create(CultureInfo.InvariantCulture,
                $"{(a > 0 ? "," : string.Empty)}{{\"id\":\"a{a}\",\"hostname\":\"198.18.100.{a + 1}\",\"pid\":\"slave(1)@198.18.100.{a + 1}:5051\"}}"));
        }

        output.Write("]}");
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        return options;
    }

    private static async Task<int> ServeAsync(IPEndPoint endpoint, long bytes)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(endpoint);
        listener.Listen(4096);
        while (true)
        {
            var client = await listener.AcceptAsync().ConfigureAwait(false);
            _ = Task.Run(() => ServeOneAsync(client, bytes));
        }
    }

    private static async Task ServeOneAsync(Socket client, long bytes)
    {
        using (client)
        {
            try
            {
                var buffer = new byte[256 * 1024];
                int n = await client.ReceiveAsync(buffer.AsMemory(0, 1)).ConfigureAwait(false);
                if (n == 1 && buffer[0] == (byte)'D')
                {
                    for (long sent = 0; sent < bytes;)
                    {
                        sent += await client.SendAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, bytes - sent))).ConfigureAwait(false);
                    }

                    client.Shutdown(SocketShutdown.Send);
                    while (await client.ReceiveAsync(buffer).ConfigureAwait(false) > 0)
                    {
                    }
                }
                else if (n == 1 && buffer[0] == (byte)'U')
                {
                    while (await client.ReceiveAsync(buffer).ConfigureAwait(false) > 0)
                    {
                    }

                    await client.SendAsync(new byte[] { (byte)'K' }).ConfigureAwait(false);
                }
            }
            catch (SocketException)
            {
            }
        }
    }

    /// <summary>Worker w connects to targets[w % n], so several targets share the load evenly.</summary>
    private static async Task<int> ConnectAsync(IPEndPoint?[] targets, Dictionary<string, string> options)
    {
        double seconds = double.Parse(options.GetValueOrDefault("seconds", "5"), CultureInfo.InvariantCulture);
        int concurrency = int.Parse(options.GetValueOrDefault("concurrency", "16"), CultureInfo.InvariantCulture);
        var sources = SourceRange(options.GetValueOrDefault("sources", string.Empty));
        var latencies = new List<long>[concurrency];
        long errors = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<long>(100_000);
            var endpoint = targets[w % targets.Length]!;
            int next = w;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.LingerState = new LingerOption(true, 0);
                socket.NoDelay = true;
                if (sources.Length > 0)
                {
                    socket.Bind(new IPEndPoint(sources[next++ % sources.Length], 0));
                }

                long t0 = Stopwatch.GetTimestamp();
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                    await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
                    mine.Add(Stopwatch.GetTimestamp() - t0);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        double elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Us(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(q * all.Length))] * 1e6 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rate={all.Length / elapsed:0} p50_us={Us(0.5):0} p99_us={Us(0.99):0} errors={errors}"));
        return 0;
    }

    private static async Task<int> TransferAsync(IPEndPoint endpoint, bool download, long bytes)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint).ConfigureAwait(false);
        var buffer = new byte[256 * 1024];
        var started = Stopwatch.GetTimestamp();
        long moved = 0;
        if (download)
        {
            await socket.SendAsync(new byte[] { (byte)'D' }).ConfigureAwait(false);
            int n;
            while ((n = await socket.ReceiveAsync(buffer).ConfigureAwait(false)) > 0)
            {
                moved += n;
            }
        }
        else
        {
            await socket.SendAsync(new byte[] { (byte)'U' }).ConfigureAwait(false);
            while (moved < bytes)
            {
                moved += await socket.SendAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, bytes - moved))).ConfigureAwait(false);
            }

            socket.Shutdown(SocketShutdown.Send);
            await socket.ReceiveAsync(buffer).ConfigureAwait(false);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seconds={Stopwatch.GetElapsedTime(started).TotalSeconds:0.000} bytes={moved}"));
        return moved >= bytes ? 0 : 1;
    }

    private static IPAddress[] SourceRange(string text)
    {
        // A.B.C.D-E: addresses A.B.C.D .. A.B.C.E
        int dash = text.LastIndexOf('-');
        if (dash < 0 || !IPAddress.TryParse(text[..dash], out var first))
        {
            return [];
        }

        var bytes = first.GetAddressBytes();
        int last = int.Parse(text[(dash + 1)..], CultureInfo.InvariantCulture);
        return [.. Enumerable.Range(bytes[3], last - bytes[3] + 1).Select(b => new IPAddress([bytes[0], bytes[1], bytes[2], (byte)b]))];
    }
}
