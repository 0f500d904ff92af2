namespace Minuet.Platform.Jobs.Validation;

/// <summary>Checks a job's parents against the other jobs: unknown parents and cycles are refused, not stored and dropped (Chronos #815).</summary>
internal static class DependencyGraph
{
    /// <param name="id">The job being added or changed.</param>
    /// <param name="parents">Its parents.</param>
    /// <param name="parentsOf">Every other job's parents, by id (the job itself excluded or overridden).</param>
    public static void Check(string id, IReadOnlyList<string> parents, Func<string, IReadOnlyList<string>?> parentsOf, FieldErrors errors)
    {
        for (int i = 0; i < parents.Count; i++)
        {
            if (parents[i] == id)
            {
                errors.Add($"/dependencies/{i}", $"'{id}' cannot depend on itself");
            }
            else if (parentsOf(parents[i]) is null)
            {
                errors.Add($"/dependencies/{i}", $"'{parents[i]}' is not a job");
            }
        }

        if (errors.Any)
        {
            return;
        }

        // A cycle through the new edges means id is reachable from one of its parents going upward.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<(string Job, string Path)>();
        foreach (var p in parents)
        {
            stack.Push((p, id + " -> " + p));
        }

        while (stack.Count > 0)
        {
            var (job, path) = stack.Pop();
            if (job == id)
            {
                errors.Add("/dependencies", $"would make a cycle: {path}");
                return;
            }

            if (!seen.Add(job))
            {
                continue;
            }

            foreach (var up in parentsOf(job) ?? [])
            {
                stack.Push((up, path + " -> " + up));
            }
        }
    }
}
