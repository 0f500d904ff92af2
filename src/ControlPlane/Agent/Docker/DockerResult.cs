namespace Minuet.ControlPlane.Agent.Docker;

/// <summary>
/// An Engine API answer as a value: the body, or an error with the HTTP status (0 when the daemon did not
/// answer at all: socket missing, refused, cut).
/// </summary>
internal readonly record struct DockerResult<T>(T? Value, string? Error, int Status)
{
    public bool Ok => Error is null;

    public bool NotFound => Status == 404;

    /// <summary>The daemon itself did not answer (as opposed to refusing the request).</summary>
    public bool Unreachable => Error is not null && Status == 0;

    public static DockerResult<T> Success(T value, int status = 200) => new(value, null, status);

    public static DockerResult<T> Failure(string error, int status) => new(default, error, status);
}
