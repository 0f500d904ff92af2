using System.Runtime.InteropServices;

namespace Minuet.Native.SafeHandles;

/// <summary>Owns a Linux file descriptor (socket, namespace fd) and closes it exactly once.</summary>
internal sealed class SafeDescriptorHandle : SafeHandle
{
    public SafeDescriptorHandle()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    internal SafeDescriptorHandle(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
        SetHandle(fd);
    }

    public override bool IsInvalid => handle == -1;

    /// <summary>The raw descriptor for calls that take an int (poll); valid only while the handle is alive.</summary>
    internal int Fd => (int)handle;

    protected override bool ReleaseHandle() => Interop.Interop.Close((int)handle) == 0;
}
