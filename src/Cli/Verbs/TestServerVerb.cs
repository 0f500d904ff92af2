using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet test-server [--port N]</c> (hidden): a tiny HTTP task for end-to-end tests and demos on machines with no
/// Python. <c>GET /</c> answers <c>MESOS_TASK_ID HOST:PORT</c>; <c>GET /health</c> 200 until <c>GET /fail</c> makes it
/// 503 (and <c>GET /recover</c> 200 again). Listens on 0.0.0.0:$PORT0 unless <c>--port</c> is given. One connection at a time per request, closed after the answer.
/// </summary>
internal static class TestServerVerb
{
    public static Command Create()
    {
        var port = new Option<int?>("--port") { Description = "Port (default $PORT0, else $PORT)." };
        var command = new Command("test-server", "A tiny HTTP server for tests (/, /health, /fail, /recover)") { port };
        command.Hidden = true;
        command.SetAction(async (parse, cancellationToken) =>
        {
            int? chosen = parse.GetValue(port) ?? EnvPort("PORT0") ?? EnvPort("PORT");
            if (chosen is not int listenPort)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("minuet test-server: --port or $PORT0 is required").ConfigureAwait(false);
                return 1;
            }

            // SIGTERM (the agent's kill) and SIGINT end it with 0, as a well-behaved task does.
            using var stop = new StopSignals(cancellationToken);
            cancellationToken = stop.Token;
            string identity = $"{Environment.GetEnvironmentVariable("MESOS_TASK_ID") ?? "local"} {Environment.GetEnvironmentVariable("HOST") ?? Environment.MachineName}:{listenPort}";
            var listener = new TcpListener(IPAddress.Any, listenPort);
            listener.Start(128);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"test-server {identity} listening").ConfigureAwait(false);
            bool healthy = true;
            try
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                    _ = Task.Run(async () =>
                    {
                        using (client)
                        {
                            string path = await ReadPathAsync(client.GetStream()).ConfigureAwait(false);
                            (int status, string body) = path switch
                            {
                                "/health" => healthy ? (200, "ok\n") : (503, "failing\n"),
                                "/fail" => Set(ref healthy, false),
                                "/recover" => Set(ref healthy, true),
                                _ => (200, identity + "\n"),
                            };
                            await WriteAsync(client.GetStream(), status, body).ConfigureAwait(false);
                        }
                    }, CancellationToken.None);
                }
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
            finally
            {
                listener.Stop();
            }
        });
        return command;
    }

    private static (int, string) Set(ref bool healthy, bool value)
    {
        healthy = value;
        return (200, value ? "recovered\n" : "now failing health checks\n");
    }

    private static int? EnvPort(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value is > 0 and < 65536 ? value : null;

    private static async Task<string> ReadPathAsync(NetworkStream stream)
    {
        var buffer = new byte[4096];
        int total = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            while (total < buffer.Length)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(total), timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (buffer.AsSpan(0, total).IndexOf("\r\n\r\n"u8) >= 0)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
        }

        string head = Encoding.ASCII.GetString(buffer, 0, total);
        string[] parts = head.Split(' ', 3);
        return parts.Length >= 2 ? parts[1] : "/";
    }

    private static async Task WriteAsync(NetworkStream stream, int status, string body)
    {
        string reason = status == 200 ? "OK" : "Service Unavailable";
        byte[] bytes = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.ASCII.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}");
        try
        {
            await stream.WriteAsync(bytes).ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
    }
}
