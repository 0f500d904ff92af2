using System.Globalization;
using System.Text;

namespace Minuet.ControlPlane.Agent.Docker;

/// <summary>The streaming calls: following a container's logs, and running a command inside it.</summary>
internal sealed partial class DockerEngine
{
    /// <summary>
    /// Follows the container's stdout/stderr logged after <paramref name="sinceUnixSeconds"/> (0 = from the start) into
    /// the two streams until the container stops (the daemon ends the stream) or the token fires.
    /// </summary>
    public async Task<DockerResult<bool>> FollowLogsAsync(string id, double sinceUnixSeconds, Stream stdout, Stream stderr,
        CancellationToken cancellationToken)
    {
        string since = sinceUnixSeconds.ToString("0.000000", CultureInfo.InvariantCulture);
        string path = $"containers/{Uri.EscapeDataString(id)}/logs?follow=1&stdout=1&stderr=1&since={since}";
        var (response, error) = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (response is null)
            {
                return DockerResult<bool>.Failure(error!, 0);
            }

            if (!response.IsSuccessStatusCode)
            {
                return DockerResult<bool>.Failure(await ErrorMessageAsync(response, cancellationToken).ConfigureAwait(false), (int)response.StatusCode);
            }

            try
            {
                var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await DockerStreamDemuxer.CopyAsync(body, stdout, stderr, cancellationToken).ConfigureAwait(false);
                return DockerResult<bool>.Success(true);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                return DockerResult<bool>.Failure($"log stream cut: {e.Message}", 0);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="argv"/> inside the running container (as <c>docker exec</c>) and returns its exit code and
    /// combined output (at most 4 KiB kept). The token bounds the wait; the command itself is not killed by it.
    /// </summary>
    public async Task<DockerResult<(int ExitCode, string Output)>> ExecAsync(string id, List<string> argv, List<string>? env,
        CancellationToken cancellationToken)
    {
        var created = await SendJsonAsync(HttpMethod.Post, $"containers/{Uri.EscapeDataString(id)}/exec",
            JsonContent(new ExecCreateBody { Cmd = argv, Env = env }, DockerJsonContext.Default.ExecCreateBody),
            DockerJsonContext.Default.IdResponse, cancellationToken).ConfigureAwait(false);
        if (!created.Ok)
        {
            return DockerResult<(int, string)>.Failure(created.Error!, created.Status);
        }

        string execId = created.Value!.Id;
        var (response, error) = await SendAsync(HttpMethod.Post, $"exec/{execId}/start",
            JsonContent(new ExecStartBody(false, false), DockerJsonContext.Default.ExecStartBody), cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (response is null)
            {
                return DockerResult<(int, string)>.Failure(error!, 0);
            }

            if (!response.IsSuccessStatusCode)
            {
                return DockerResult<(int, string)>.Failure(await ErrorMessageAsync(response, cancellationToken).ConfigureAwait(false), (int)response.StatusCode);
            }

            using var output = new BoundedBuffer(4096);
            try
            {
                var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await DockerStreamDemuxer.CopyAsync(body, output, output, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                return DockerResult<(int, string)>.Failure($"exec stream cut: {e.Message}", 0);
            }

            // The stream ends when the command's stdio closes; its exit code is recorded a moment later.
            for (int attempt = 0; attempt < 50; attempt++)
            {
                var inspect = await GetJsonAsync($"exec/{execId}/json", DockerJsonContext.Default.ExecInspect, cancellationToken).ConfigureAwait(false);
                if (!inspect.Ok)
                {
                    return DockerResult<(int, string)>.Failure(inspect.Error!, inspect.Status);
                }

                if (!inspect.Value!.Running && inspect.Value.ExitCode is { } code)
                {
                    return DockerResult<(int, string)>.Success((code, output.Text));
                }

                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }

            return DockerResult<(int, string)>.Failure("exec: the command's output ended but it did not exit", 0);
        }
    }

    /// <summary>A write-only stream keeping the first bytes written (command output for health-check causes).</summary>
    private sealed class BoundedBuffer(int limit) : Stream
    {
        private readonly MemoryStream _kept = new();

        public string Text => Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length).Trim();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _kept.Length;

        public override long Position { get => _kept.Length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            int room = (int)Math.Max(0, limit - _kept.Length);
            _kept.Write(buffer, offset, Math.Min(room, count));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _kept.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
