using System.Diagnostics.CodeAnalysis;

namespace Minuet.Platform.Packages.Model;

/// <summary>A value or the Cosmos error that stands instead of it (errors are values inside; the HTTP edge turns them into answers).</summary>
internal readonly record struct Outcome<T>(T? Value, CosmosError? Error)
{
    [MemberNotNullWhen(false, nameof(Error))]
    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsSuccess => Error is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(CosmosError error) => new(default, error);
}
