using Minuet.Native.Interop;

namespace Minuet.Native;

/// <summary>
/// The outcome of a kernel operation as a value: which operation (a static string, so nothing is allocated)
/// and the errno it ended with (<see cref="Errno.None"/> on success).
/// </summary>
public readonly record struct NativeResult(string Operation, Errno Errno)
{
    public bool IsSuccess => Errno == Errno.None;

    public static NativeResult Success(string operation) => new(operation, Errno.None);

    /// <summary>A failure carrying the errno the last P/Invoke left behind.</summary>
    public static NativeResult FromLastError(string operation) => new(operation, ErrnoExtensions.LastError());

    public override string ToString() => IsSuccess ? $"{Operation}: ok" : $"{Operation}: {Errno.Describe()}";
}
