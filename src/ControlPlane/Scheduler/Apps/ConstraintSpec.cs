namespace Minuet.ControlPlane.Scheduler.Apps;

/// <summary>A placement constraint <c>[field, operator, value?]</c> (docs/docs/constraints.md).</summary>
internal sealed record ConstraintSpec(string Field, ConstraintOperator Operator, string? Value);

/// <summary>Marathon's constraint operators.</summary>
internal enum ConstraintOperator
{
    Unique,
    Cluster,
    GroupBy,
    Like,
    Unlike,
    MaxPer,
    Is,
}
