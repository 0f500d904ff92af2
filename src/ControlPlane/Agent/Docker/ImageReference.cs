namespace Minuet.ControlPlane.Agent.Docker;

/// <summary>Docker image names: repository and tag as the pull call wants them (no tag = <c>latest</c>, as Mesos does).</summary>
internal static class ImageReference
{
    public static (string Repository, string Tag) Split(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            // A digest pins the image; the engine takes it whole in fromImage.
            return (image, string.Empty);
        }

        int slash = image.LastIndexOf('/');
        int colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }
}
