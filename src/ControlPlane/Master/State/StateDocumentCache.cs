namespace Minuet.ControlPlane.Master.State;

/// <summary>
/// The last rendered <c>/master/state</c> document and the view version it was rendered from: polls that find
/// nothing changed get the same bytes without rendering, and no render ever takes the master lock.
/// </summary>
internal sealed class StateDocumentCache(MasterCore master)
{
    private Rendered? _last;

    public byte[] Current()
    {
        var view = master.View;
        var last = Volatile.Read(ref _last);
        if (last is not null && last.Version == view.Version && ReferenceEquals(last.View, view))
        {
            return last.Bytes;
        }

        // Two readers may render the same version at once; both results are the same document.
        var bytes = MasterStateWriter.Render(view);
        Volatile.Write(ref _last, new Rendered(view.Version, view, bytes));
        return bytes;
    }

    private sealed record Rendered(long Version, MasterStateView View, byte[] Bytes);
}
