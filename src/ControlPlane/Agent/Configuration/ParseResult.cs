namespace Minuet.ControlPlane.Agent.Configuration;

/// <summary>A parsed value or the reason it could not be parsed (errors are values inside the agent).</summary>
internal readonly record struct ParseResult<T>(T? Value, string? Error)
{
    public bool Ok => Error is null;

    public static ParseResult<T> Success(T value) => new(value, null);

    public static ParseResult<T> Failure(string error) => new(default, error);
}
