using System.Diagnostics.CodeAnalysis;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Sources;

/// <summary>Either a parsed <see cref="ClusterState"/> or the error that rejected the document.</summary>
public readonly record struct StateParseResult(ClusterState? State, StateParseError? Error)
{
    [MemberNotNullWhen(true, nameof(State))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => State is not null;

    public static StateParseResult Ok(ClusterState state) => new(state, null);

    public static StateParseResult Fail(string path, string reason) => new(null, new StateParseError(path, reason));
}
