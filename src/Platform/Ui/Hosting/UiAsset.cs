namespace Minuet.Platform.Ui.Hosting;

/// <summary>One built UI file held in memory: its bytes, media type and a strong ETag of its content.</summary>
internal sealed record UiAsset(ReadOnlyMemory<byte> Content, string ContentType, string ETag);
