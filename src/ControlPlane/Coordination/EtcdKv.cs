using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Minuet.ControlPlane.Coordination;

/// <summary>
/// The two things the stores need from etcd: fenced writes (one txn guarded by the leader key's create revision)
/// and a consistent read of a whole prefix (pages by key range, all at the revision of the first page).
/// </summary>
internal sealed class EtcdKv(EtcdConnection connection, ILeaderFenceSource fence, int maxTxnOps = EtcdKv.DefaultMaxTxnOps)
{
    /// <summary>etcd's default <c>--max-txn-ops</c>; the fence compare does not count, each put or delete does.</summary>
    public const int DefaultMaxTxnOps = 128;

    private const int PageSize = 1000;

    public int MaxTxnOps => maxTxnOps;

    public static RequestOp Put(string key, string value) => new()
    {
        RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value) },
    };

    public static RequestOp Put(string key, ByteString value) => new()
    {
        RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = value },
    };

    public static RequestOp Delete(string key) => new()
    {
        RequestDeleteRange = new DeleteRangeRequest { Key = ByteString.CopyFromUtf8(key) },
    };

    public static RequestOp DeletePrefix(string prefix) => new()
    {
        RequestDeleteRange = new DeleteRangeRequest { Key = ByteString.CopyFromUtf8(prefix), RangeEnd = PrefixEnd(prefix) },
    };

    /// <summary>
    /// Applies <paramref name="ops"/> if this process still leads. More than <see cref="MaxTxnOps"/> ops go in
    /// several txns, each fenced: every chunk lands only under the same term, but a failure part-way leaves the
    /// earlier chunks applied; <see cref="EtcdStagedBatch"/> makes such a batch all-or-nothing.
    /// </summary>
    public void Write(IReadOnlyList<RequestOp> ops)
    {
        for (int start = 0; start < ops.Count; start += maxTxnOps)
        {
            WriteChunk(ops.Skip(start).Take(maxTxnOps));
        }
    }

    public void Write(RequestOp op) => WriteChunk([op]);

    /// <summary>Every key and value under <paramref name="prefix"/> as of one revision.</summary>
    public List<KeyValuePair<string, ByteString>> ReadPrefix(string prefix) => ReadPrefixPages(prefix).SelectMany(page => page).ToList();

    /// <summary>
    /// The same read page by page, each page fetched when the previous one has been taken: a caller that hands a page's
    /// decoding to other threads overlaps it with the next page's round trip (a new leader reading 100,000 tasks).
    /// </summary>
    public IEnumerable<List<KeyValuePair<string, ByteString>>> ReadPrefixPages(string prefix)
    {
        var end = PrefixEnd(prefix);
        var from = ByteString.CopyFromUtf8(prefix);
        long revision = 0;
        while (true)
        {
            var request = new RangeRequest { Key = from, RangeEnd = end, Limit = PageSize, Revision = revision };
            var response = OnAnyMember(() => connection.Client.Get(request, deadline: connection.Deadline), $"etcd read of {prefix} failed");

            // Later pages read at the first page's revision: one consistent cut however many pages it takes.
            revision = revision == 0 ? response.Header.Revision : revision;
            var rows = new List<KeyValuePair<string, ByteString>>(response.Kvs.Count);
            foreach (var kv in response.Kvs)
            {
                rows.Add(new(kv.Key.ToStringUtf8(), kv.Value));
            }

            yield return rows;
            if (!response.More || response.Kvs.Count == 0)
            {
                yield break;
            }

            from = ByteString.CopyFrom([.. response.Kvs[^1].Key.Span, 0]);
        }
    }

    internal static ByteString PrefixEnd(string prefix)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(prefix);
        for (int i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xff)
            {
                bytes[i]++;
                return ByteString.CopyFrom(bytes, 0, i + 1);
            }
        }

        return ByteString.CopyFrom(0);
    }

    private void WriteChunk(IEnumerable<RequestOp> ops)
    {
        var term = fence.Fence ?? throw new EtcdStoreException("not the leader: this process does not hold the leader key, so it writes nothing");
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare
        {
            Key = ByteString.CopyFromUtf8(term.Key),
            Target = Compare.Types.CompareTarget.Create,
            Result = Compare.Types.CompareResult.Equal,
            CreateRevision = term.CreateRevision,
        });
        txn.Success.AddRange(ops);
        var response = OnAnyMember(() => connection.Client.Transaction(txn, deadline: connection.Deadline), "etcd write failed");

        if (!response.Succeeded)
        {
            fence.FenceRejected(term);
            throw new EtcdStoreException($"not the leader any more: {term.Key} is no longer the key this process created at revision {term.CreateRevision}");
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/>, again on a timeout or an unreachable member, once per endpoint: the client spreads
    /// calls over the members, so one stopped member (its socket open, its answers never coming) would otherwise fail
    /// a share of every store call while the other two still have quorum. A retried txn is the same fenced txn: if
    /// the first one landed after all, the second writes the same values.
    /// </summary>
    private T OnAnyMember<T>(Func<T> call, string what)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return call();
            }
            catch (RpcException e) when (attempt < connection.Endpoints.Count && e.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Unavailable)
            {
                // Next attempt: the client picks the next member.
            }
            catch (RpcException e)
            {
                throw new EtcdStoreException($"{what}: {e.Status.StatusCode}: {e.Status.Detail}", e);
            }
            catch (OperationCanceledException) when (attempt < connection.Endpoints.Count)
            {
                // A blocking call past its deadline can surface as the HTTP handler's cancellation, not an RpcException.
            }
            catch (OperationCanceledException e)
            {
                throw new EtcdStoreException($"{what}: DeadlineExceeded: no answer within {connection.OperationTimeout.TotalSeconds:0.#} s", e);
            }
        }
    }
}
