using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;

namespace Minuet.ControlPlane.Coordination;

/// <summary>
/// All-or-nothing writes of more operations than one etcd txn takes (<c>--max-txn-ops</c>, 128): the batch is staged
/// under <c>{staging}{id}/part/N</c> (each part a serialized <see cref="TxnRequest"/> of up to
/// <see cref="PartBytes"/>), then <c>{staging}{id}/commit</c> is written in one fenced txn: that write is the batch's
/// commit point. Only then are the operations applied (in fenced chunks) and the staged keys deleted. A leader that
/// dies or is deposed before the commit marker leaves only staged parts, which the next <see cref="Finish"/> deletes;
/// one that dies after it leaves a committed batch, which the next <see cref="Finish"/> (every load of the store, and
/// this process's next write) applies again in full. Applying is idempotent: puts and deletes of whole keys. Staged
/// keys live outside the state prefix, so a load never sees half a batch.
/// </summary>
internal sealed class EtcdStagedBatch(EtcdKv kv, string staging)
{
    /// <summary>etcd refuses requests over 1.5 MiB by default (<c>--max-request-bytes</c>); a part stays well below.</summary>
    public const int PartBytes = 1024 * 1024;

    private const string CommitKey = "commit";
    private const string PartKey = "part/";

    // Set when a committed batch could not be applied here: later writes must not land before it does.
    private volatile bool _unfinished;

    public string Staging => staging;

    /// <summary>Applies <paramref name="ops"/> whole or not at all (one txn when they fit in one).</summary>
    public void Write(IReadOnlyList<RequestOp> ops)
    {
        FinishIfUnfinished();
        if (ops.Count <= kv.MaxTxnOps)
        {
            kv.Write(ops);
            return;
        }

        string batch = staging + DateTime.UtcNow.Ticks.ToString("D20", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8] + "/";
        int parts = 0;
        var part = new TxnRequest();
        int size = 0;
        foreach (var op in ops)
        {
            int opSize = op.CalculateSize();
            if (part.Success.Count > 0 && size + opSize > PartBytes)
            {
                kv.Write(EtcdKv.Put(PartName(batch, parts++), part.ToByteString()));
                part = new TxnRequest();
                size = 0;
            }

            part.Success.Add(op);
            size += opSize;
        }

        kv.Write(EtcdKv.Put(PartName(batch, parts++), part.ToByteString()));
        kv.Write(EtcdKv.Put(batch + CommitKey, parts.ToString(CultureInfo.InvariantCulture)));
        try
        {
            Apply(batch, ops);
        }
        catch (EtcdStoreException)
        {
            _unfinished = true;
            throw;
        }
    }

    /// <summary>One operation (a txn of its own), after any committed batch this process could not finish.</summary>
    public void Write(RequestOp op)
    {
        FinishIfUnfinished();
        kv.Write(op);
    }

    /// <summary>
    /// Applies every committed batch left under the staging prefix (oldest first) and deletes every uncommitted one.
    /// Needs the leader's fence only when something is left; returns how many committed batches it applied.
    /// </summary>
    public int Finish()
    {
        var rows = kv.ReadPrefix(staging);
        int applied = 0;
        foreach (var batch in rows.GroupBy(r => BatchOf(r.Key)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var marker = batch.FirstOrDefault(r => r.Key == batch.Key + CommitKey);
            if (marker.Key is null)
            {
                kv.Write(EtcdKv.DeletePrefix(batch.Key));
                continue;
            }

            int parts = int.Parse(marker.Value.ToStringUtf8(), CultureInfo.InvariantCulture);
            var ops = new List<RequestOp>();
            for (int i = 0; i < parts; i++)
            {
                var row = batch.FirstOrDefault(r => r.Key == PartName(batch.Key, i));
                if (row.Key is null)
                {
                    throw new EtcdStoreException($"staged batch {batch.Key} is committed but its part {i} of {parts} is missing");
                }

                ops.AddRange(TxnRequest.Parser.ParseFrom(row.Value).Success);
            }

            Apply(batch.Key, ops);
            applied++;
        }

        _unfinished = false;
        return applied;
    }

    private void FinishIfUnfinished()
    {
        if (_unfinished)
        {
            Finish();
        }
    }

    private void Apply(string batch, IReadOnlyList<RequestOp> ops)
    {
        kv.Write(ops);
        kv.Write(EtcdKv.DeletePrefix(batch));
    }

    private static string PartName(string batch, int index) => batch + PartKey + index.ToString("D6", CultureInfo.InvariantCulture);

    private string BatchOf(string key)
    {
        int slash = key.IndexOf('/', staging.Length);
        return slash < 0 ? key : key[..(slash + 1)];
    }
}
