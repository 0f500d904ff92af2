namespace Minuet.ControlPlane.Protocol;

/// <summary>
/// Every 4xx body on both sides: a message, a stable code, and per-field errors in Marathon's 422 shape
/// (<c>details[].path</c> is a JSON pointer such as <c>/resources/cpus</c>).
/// </summary>
internal sealed record ProtocolError
{
    public required string Message { get; init; }

    /// <summary>invalid_json, invalid, unknown_agent, unknown_task, duplicate_task, wrong_agent.</summary>
    public required string Code { get; init; }

    public IReadOnlyList<FieldError> Details { get; set; } = [];
}

/// <summary>One invalid field: its JSON pointer and what is wrong with it.</summary>
internal sealed record FieldError(string Path, IReadOnlyList<string> Errors);

/// <summary>Stable <see cref="ProtocolError.Code"/> values.</summary>
internal static class ProtocolErrorCodes
{
    public const string InvalidJson = "invalid_json";
    public const string Invalid = "invalid";
    public const string UnknownAgent = "unknown_agent";
    public const string UnknownTask = "unknown_task";
    public const string DuplicateTask = "duplicate_task";
    public const string WrongAgent = "wrong_agent";
    public const string StoreUnavailable = "store_unavailable";
    public const string PayloadTooLarge = "payload_too_large";
}
