namespace Minuet.ControlPlane.Coordination;

/// <summary>
/// etcd could not take or serve a request: unreachable, no quorum, timed out, or a write refused because this
/// process no longer holds the leader key. An <see cref="IOException"/> so the masters' and schedulers' existing
/// store-failure paths (503 <c>store_unavailable</c>, <c>StoreFault</c>) handle it unchanged.
/// </summary>
internal sealed class EtcdStoreException(string message, Exception? inner = null) : IOException(message, inner);
