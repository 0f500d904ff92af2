using Minuet.Native.Interop;

namespace Minuet.Native.Tests.Interop;

public class ErrnoTests
{
    [Theory]
    [InlineData(Errno.EEXIST, "EEXIST (17)")]
    [InlineData(Errno.EINVAL, "EINVAL (22)")]
    [InlineData((Errno)4242, "errno 4242")]
    public void Describe_NamesTheErrorAndItsNumber(Errno errno, string expected)
    {
        Assert.Equal(expected, errno.Describe());
    }
}
