using Minuet.Native.Interop;
using Minuet.Native.SafeHandles;

namespace Minuet.Native.Namespaces;

/// <summary>
/// Moves the calling thread into a network namespace. setns is per thread: call it on a dedicated
/// <see cref="Thread"/> (never a thread-pool thread, which would carry the namespace into unrelated work).
/// Sockets opened afterwards on that thread belong to the namespace for their whole life.
/// </summary>
public static class NetworkNamespace
{
    /// <summary>Where `ip netns add NAME` puts its bind mount.</summary>
    public static string PathOf(string name) => $"/var/run/netns/{name}";

    public static NativeResult TryEnter(string namespacePath)
    {
        const string Operation = "setns";
        int fd = Interop.Interop.Open(namespacePath, Interop.Interop.O_RDONLY | Interop.Interop.O_CLOEXEC);
        if (fd < 0)
        {
            return NativeResult.FromLastError("open netns");
        }

        using var handle = new SafeDescriptorHandle(fd);
        return Interop.Interop.SetNs(handle, Interop.Interop.CLONE_NEWNET) == 0
            ? NativeResult.Success(Operation)
            : NativeResult.FromLastError(Operation);
    }
}
