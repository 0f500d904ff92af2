using Etcdserverpb;
using Google.Protobuf;

namespace Minuet.ControlPlane.Coordination;

/// <summary>
/// The one write a standby makes against a leader it found dead: delete the leader key only if it still is the exact
/// term observed (<c>If create_revision(key) == R And lease(key) == L Then Delete(key)</c>). A new leader's key (even
/// at the same address), or the same leader after a re-campaign, has another create revision and is left alone.
/// Removing a live leader's key by mistake costs that leader its term and nothing more: its fenced writes fail from
/// then on, and it stops acting when its watch, or its next keepalive's look at the key, shows the key gone.
/// </summary>
internal static class LeaderTakeover
{
    public static TxnRequest Request(string key, LeaderTerm term)
    {
        var keyBytes = ByteString.CopyFromUtf8(key);
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = keyBytes, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = term.CreateRevision });
        txn.Compare.Add(new Compare { Key = keyBytes, Target = Compare.Types.CompareTarget.Lease, Result = Compare.Types.CompareResult.Equal, Lease = term.Lease });
        txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = keyBytes } });
        return txn;
    }
}
