namespace Minuet.ControlPlane.Scheduler.Apps;

/// <summary>
/// Marathon's service ports: a port given as 0 gets one from 10000-20000 that no other app uses; an update keeps the
/// ports the app already had at the same positions, so clients and load balancers keep their addresses.
/// </summary>
internal static class ServicePorts
{
    public static AppDefinition Assign(AppDefinition app, AppDefinition? existing, HashSet<int> used)
    {
        var previous = existing?.Ports.Select(p => p.ServicePort).ToList() ?? [];
        int Pick(int requested, int index)
        {
            if (requested != 0)
            {
                used.Add(requested);
                return requested;
            }

            if (index < previous.Count && previous[index] != 0 && used.Add(previous[index]))
            {
                return previous[index];
            }

            for (int p = AppDefaults.ServicePortMin; p <= AppDefaults.ServicePortMax; p++)
            {
                if (used.Add(p))
                {
                    return p;
                }
            }

            return 0;
        }

        if (app.UsesPortMappings && app.Container is { } c)
        {
            var mappings = c.PortMappings.Select((m, i) => m with { ServicePort = Pick(m.ServicePort, i) }).ToList();
            return app with { Container = c with { PortMappings = mappings } };
        }

        return app with { PortDefinitions = app.PortDefinitions.Select((p, i) => p with { Port = Pick(p.Port, i) }).ToList() };
    }
}
