using System.Text.RegularExpressions;
using Minuet.ControlPlane.Master;
using Minuet.Platform.Jobs.Model;

namespace Minuet.Platform.Jobs.Engine;

/// <summary>Whether an offer's agent meets a job's placement constraints (hostname or an agent attribute).</summary>
internal static class Placement
{
    public static bool Fits(IReadOnlyList<PlacementConstraint> constraints, OfferInfo offer)
    {
        foreach (var c in constraints)
        {
            string? actual = c.Attribute == "hostname" ? offer.Hostname : offer.Attributes.GetValueOrDefault(c.Attribute);
            bool ok = c.Operator switch
            {
                "IS" => actual == c.Value,
                "LIKE" => actual is not null && Regex.IsMatch(actual, "^(?:" + c.Value + ")$", RegexOptions.None, TimeSpan.FromMilliseconds(100)),
                "UNLIKE" => actual is null || !Regex.IsMatch(actual, "^(?:" + c.Value + ")$", RegexOptions.None, TimeSpan.FromMilliseconds(100)),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
