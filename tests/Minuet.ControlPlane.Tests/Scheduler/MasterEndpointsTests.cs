using Minuet.ControlPlane.Scheduler.MasterLink;

namespace Minuet.ControlPlane.Tests.Scheduler;

public class MasterEndpointsTests
{
    private static readonly Uri A = new("http://10.0.0.1:5050/");
    private static readonly Uri B = new("http://10.0.0.2:5050/");

    [Fact]
    public void Redirected_SchemeLessLocation_UsesTheLeaderWithTheCurrentScheme()
    {
        // Mesos writes Location as "//host:port", protocol-relative.
        var masters = new MasterEndpoints([A, B]);
        masters.Redirected(new Uri("//10.0.0.9:5050", UriKind.Relative));
        Assert.Equal(new Uri("http://10.0.0.9:5050/"), masters.Current);
    }

    [Fact]
    public void Redirected_SchemeLessLocationWithAPath_KeepsOnlyTheLeadersAddress()
    {
        // Minuet's standby masters redirect to the same path on the leader; calls are made relative to Current.
        var masters = new MasterEndpoints([A, B]);
        masters.Redirected(new Uri("//10.0.0.9:5050/api/v1/scheduler", UriKind.Relative));
        Assert.Equal(new Uri("http://10.0.0.9:5050/"), masters.Current);
    }

    [Fact]
    public void Failed_Leader_FallsBackToTheListThenRotates()
    {
        var masters = new MasterEndpoints([A, B]);
        masters.Redirected(new Uri("//10.0.0.9:5050", UriKind.Relative));
        masters.Failed(masters.Current);
        Assert.Equal(A, masters.Current);
        masters.Failed(A);
        Assert.Equal(B, masters.Current);
        masters.Failed(B);
        Assert.Equal(A, masters.Current);
    }

    [Fact]
    public void Redirected_NoUsableLocation_TriesTheNextMaster()
    {
        var masters = new MasterEndpoints([A, B]);
        masters.Redirected(null);
        Assert.Equal(B, masters.Current);
    }
}
