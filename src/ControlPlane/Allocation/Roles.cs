namespace Minuet.ControlPlane.Allocation;

/// <summary>Mesos role-name rules (apache/mesos src/common/roles.cpp): <c>/</c> nests, components are restricted.</summary>
public static class Roles
{
    public const string Default = "*";

    /// <summary>Null when valid, else the reason.</summary>
    public static string? Validate(string? role)
    {
        if (string.IsNullOrEmpty(role))
        {
            return "role is empty";
        }

        if (role == Default)
        {
            return null;
        }

        if (role.StartsWith('/') || role.EndsWith('/') || role.Contains("//", StringComparison.Ordinal))
        {
            return $"role '{role}' has a leading, trailing or double '/'";
        }

        foreach (var component in role.Split('/'))
        {
            if (component is "." or ".." or "*")
            {
                return $"role component '{component}' is reserved";
            }

            if (component.StartsWith('-'))
            {
                return $"role component '{component}' starts with '-'";
            }

            foreach (char c in component)
            {
                if (char.IsWhiteSpace(c) || c == '\x7f' || char.IsControl(c))
                {
                    return $"role '{role}' contains whitespace or a control character";
                }
            }
        }

        return null;
    }
}
