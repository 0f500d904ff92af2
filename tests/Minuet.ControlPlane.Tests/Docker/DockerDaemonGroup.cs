namespace Minuet.ControlPlane.Tests.Docker;

/// <summary>All Docker tests share one daemon and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DockerDaemonGroup : ICollectionFixture<DockerDaemonFixture>
{
    public const string Name = "docker";
}
