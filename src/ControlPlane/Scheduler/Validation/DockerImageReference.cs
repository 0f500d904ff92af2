using System.Text.RegularExpressions;

namespace Minuet.ControlPlane.Scheduler.Validation;

/// <summary>
/// Docker's image reference grammar (distribution/reference): <c>[registry[:port]/]name[:tag][@digest]</c>, path
/// components lowercase letters and digits joined by <c>.</c>, <c>_</c>, <c>__</c> or dashes, tags up to 128 word
/// characters, names up to 255 characters. A name Docker would refuse is caught at the API instead of at launch.
/// </summary>
internal static partial class DockerImageReference
{
    private const int MaxNameLength = 255;

    /// <summary>Why Docker would refuse <paramref name="image"/>, or null when it is a valid reference.</summary>
    public static string? Problem(string image)
    {
        if (image.Length == 0 || image.Trim().Length == 0)
        {
            return "must not be empty";
        }

        var match = Reference().Match(image);
        if (!match.Success)
        {
            return $"'{image}' is not a valid Docker image reference ([registry[:port]/]name[:tag][@digest], name in lowercase)";
        }

        return match.Groups["name"].Value.Length > MaxNameLength ? $"the image name must be at most {MaxNameLength} characters" : null;
    }

    [GeneratedRegex(
        @"^(?<name>(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?/)?" +
        @"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)" +
        @"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?" +
        @"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
