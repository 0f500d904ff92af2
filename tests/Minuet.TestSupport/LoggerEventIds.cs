using System.Reflection;

namespace Minuet.TestSupport;

/// <summary>
/// Reads every source-generated [LoggerMessage] of an assembly by reflection, so a test can hold the rule that
/// event ids are explicit and unique: a log search by id must find one message, not two unrelated ones.
/// </summary>
public static class LoggerEventIds
{
    private const string AttributeName = "Microsoft.Extensions.Logging.LoggerMessageAttribute";

    /// <summary>Every [LoggerMessage] method with its id (null when the attribute names none).</summary>
    public static IReadOnlyList<(int? EventId, string Method)> Read(Assembly assembly)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static |
                                 BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var found = new List<(int?, string)>();
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(all))
            {
                foreach (var attribute in method.GetCustomAttributesData())
                {
                    if (attribute.AttributeType.FullName == AttributeName)
                    {
                        found.Add((EventIdOf(attribute), $"{type.FullName}.{method.Name}"));
                    }
                }
            }
        }

        return found;
    }

    /// <summary>One line per problem: a missing id, or an id shared by several methods.</summary>
    public static IReadOnlyList<string> Problems(Assembly assembly)
    {
        var messages = Read(assembly);
        var problems = messages.Where(m => m.EventId is null)
            .Select(m => $"{m.Method} has no explicit EventId")
            .ToList();
        problems.AddRange(messages.Where(m => m.EventId is not null)
            .GroupBy(m => m.EventId!.Value)
            .Where(g => g.Count() > 1)
            .OrderBy(g => g.Key)
            .Select(g => $"EventId {g.Key} is used by {string.Join(", ", g.Select(m => m.Method).Order(StringComparer.Ordinal))}"));
        return problems;
    }

    private static int? EventIdOf(CustomAttributeData attribute)
    {
        foreach (var named in attribute.NamedArguments)
        {
            if (named.MemberName == "EventId" && named.TypedValue.Value is int id)
            {
                return id;
            }
        }

        // LoggerMessage(int eventId, LogLevel level, string message) and its siblings take the id first.
        var parameters = attribute.Constructor.GetParameters();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].Name == "eventId" && attribute.ConstructorArguments[i].Value is int positional)
            {
                return positional;
            }
        }

        return null;
    }
}
