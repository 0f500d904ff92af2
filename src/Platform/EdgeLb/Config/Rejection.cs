namespace Minuet.Platform.EdgeLb.Config;

/// <summary>Why an app (or the whole document) was left out of the configuration: the app, the field, the reason.</summary>
internal sealed record Rejection(string AppId, string Field, string Reason)
{
    public override string ToString() => $"{AppId}: {Field}: {Reason}";
}
