using Etcdserverpb;

namespace Minuet.ControlPlane.Coordination;

/// <summary>
/// The write side of a store on etcd: alone, an op lands at once; between <see cref="Begin"/> and
/// <see cref="Commit"/> the ops gather and land whole (past etcd's <c>--max-txn-ops</c> through
/// <see cref="EtcdStagedBatch"/>), as a SQLite transaction would. Every write is fenced by the store's <see cref="EtcdKv"/>.
/// </summary>
internal sealed class EtcdWriteBatch(EtcdKv kv, string staging)
{
    private readonly Lock _gate = new();
    private readonly EtcdStagedBatch _staged = new(kv, staging);
    private List<RequestOp>? _batch;

    /// <summary>Finishes or drops a batch a crashed leader left staged (before a load reads the state).</summary>
    public void Finish() => _staged.Finish();

    public void Begin()
    {
        lock (_gate)
        {
            _batch ??= [];
        }
    }

    public void Commit()
    {
        List<RequestOp>? batch;
        lock (_gate)
        {
            batch = _batch;
            _batch = null;
        }

        if (batch is { Count: > 0 })
        {
            _staged.Write(batch);
        }
    }

    public void Rollback()
    {
        lock (_gate)
        {
            _batch = null;
        }
    }

    public void Apply(RequestOp op)
    {
        lock (_gate)
        {
            if (_batch is not null)
            {
                _batch.Add(op);
                return;
            }
        }

        _staged.Write([op]);
    }
}
