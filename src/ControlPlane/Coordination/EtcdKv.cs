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

    /// <summary>Keys listed per call when splitting a big read into pages (keys only: about 50 bytes each).</summary>
    private const int KeyPageSize = 20_000;

    /// <summary>Pages of a big read in flight at once (calls rotate over the members).</summary>
    private const int ParallelReads = 4;

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
    /// The same read page by page, in key order. After the first page (which fixes the revision) the rest's keys alone
    /// are listed (a few bytes each) to split it into pages, and those pages are read at that revision on several
    /// members at once: a new leader reading 100,000 tasks (about 130 MB) waited for one page after another. A caller
    /// that hands a page's decoding to other threads overlaps it with the reads still going on.
    /// </summary>
    public IEnumerable<List<KeyValuePair<string, ByteString>>> ReadPrefixPages(string prefix)
    {
        var end = PrefixEnd(prefix);
        var first = Range(new RangeRequest { Key = ByteString.CopyFromUtf8(prefix), RangeEnd = end, Limit = PageSize }, prefix);
        long revision = first.Header.Revision;
        yield return Rows(first);
        if (!first.More || first.Kvs.Count == 0)
        {
            yield break;
        }

        // Later pages read at the first page's revision: one consistent cut however many pages it takes.
        var starts = new List<ByteString>();
        var cursor = After(first.Kvs[^1].Key);
        while (true)
        {
            var keys = Range(new RangeRequest { Key = cursor, RangeEnd = end, Limit = KeyPageSize, Revision = revision, KeysOnly = true }, prefix);
            for (int i = 0; i < keys.Kvs.Count; i += PageSize)
            {
                starts.Add(keys.Kvs[i].Key);
            }

            if (!keys.More || keys.Kvs.Count == 0)
            {
                break;
            }

            cursor = After(keys.Kvs[^1].Key);
        }

        var gate = new SemaphoreSlim(ParallelReads);
        var pages = new Task<RangeResponse>[starts.Count];
        for (int i = 0; i < starts.Count; i++)
        {
            var request = new RangeRequest { Key = starts[i], RangeEnd = i + 1 < starts.Count ? starts[i + 1] : end, Revision = revision };
            pages[i] = Task.Run(async () =>
            {
                await gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    return Range(request, prefix);
                }
                finally
                {
                    gate.Release();
                }
            });
        }

        foreach (var page in pages)
        {
            yield return Rows(page.GetAwaiter().GetResult());
        }
    }

    private RangeResponse Range(RangeRequest request, string prefix) =>
        OnAnyMember(() => connection.Client.Get(request, deadline: connection.Deadline), $"etcd read of {prefix} failed");

    private static List<KeyValuePair<string, ByteString>> Rows(RangeResponse response)
    {
        var rows = new List<KeyValuePair<string, ByteString>>(response.Kvs.Count);
        foreach (var kv in response.Kvs)
        {
            rows.Add(new(kv.Key.ToStringUtf8(), kv.Value));
        }

        return rows;
    }

    private static ByteString After(ByteString key) => ByteString.CopyFrom([.. key.Span, 0]);

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
