using System.Diagnostics;
using Minuet.ControlPlane.Master.State;

namespace Minuet.ControlPlane.Master;

/// <summary>
/// The end of every change: each mutation runs in a <see cref="MutationScope"/>, and when the outermost one ends the
/// master publishes its new <see cref="MasterStateView"/> (only the records the change marked) before it lets go of
/// the lock. Readers of <c>/master/state</c> take that view and never the lock. How long the lock is held per
/// change is sampled in <see cref="LockHold"/>.
/// </summary>
internal sealed partial class MasterCore
{
    private readonly StateViewPublisher _view = new();
    private readonly StateDocumentCache _document;
    private int _depth;
    private long _heldSince;

    /// <summary>The last published state: a consistent cut of agents, frameworks, offers and tasks. Never null.</summary>
    public MasterStateView View => _view.Current!;

    /// <summary>The rendered <c>/master/state</c> of <see cref="View"/>, cached per view version.</summary>
    public byte[] StateDocument() => _document.Current();

    /// <summary>How long changes held the master lock (recent samples).</summary>
    public LockHoldSamples LockHold { get; } = new();

    private MutationScope Mutate()
    {
        _gate.Enter();
        if (_depth++ == 0)
        {
            _heldSince = Stopwatch.GetTimestamp();
        }

        return new MutationScope(this);
    }

    private void EndMutation()
    {
        if (--_depth > 0)
        {
            _gate.Exit();
            return;
        }

        try
        {
            _view.Publish(this);
        }
        finally
        {
            LockHold.Add(Stopwatch.GetElapsedTime(_heldSince));
            _gate.Exit();
        }

        // The change's store writes, in order, now that the lock is free (a no-op when a caller already drained).
        if (!_gate.IsHeldByCurrentThread)
        {
            _writes.Drain();
        }
    }

    /// <summary>One change under the master lock; disposing it publishes the view and releases the lock.</summary>
    private readonly ref struct MutationScope(MasterCore core)
    {
        public void Dispose() => core.EndMutation();
    }
}
