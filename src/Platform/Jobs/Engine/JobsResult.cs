using Minuet.Platform.Jobs.Validation;

namespace Minuet.Platform.Jobs.Engine;

/// <summary>An API change's outcome: the value, or an HTTP status with a message and field errors.</summary>
internal sealed record JobsResult<T>(T? Value, int Status, string? Message, IReadOnlyList<FieldError>? Errors = null)
{
    public bool Ok => Status is >= 200 and < 300;

    public static JobsResult<T> Success(T value, int status = 200) => new(value, status, null);

    public static JobsResult<T> Fail(int status, string message, IReadOnlyList<FieldError>? errors = null) => new(default, status, message, errors);
}
