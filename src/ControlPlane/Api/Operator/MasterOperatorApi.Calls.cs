using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Api.Operator;

/// <summary>The operator calls that change the master: quota, reservations, gone agents, teardown.</summary>
internal static partial class MasterOperatorApi
{
    private static async Task UpdateQuotaAsync(HttpContext context, MasterCore master, V1Http.V1Call call)
    {
        if (!call.TryBody(out var body))
        {
            await V1Http.PlainAsync(context, 400, "Failed to validate master::Call: Expecting 'update_quota' to be present").ConfigureAwait(false);
            return;
        }

        var configs = new List<(string, Resources, Resources?)>();
        if (body.TryGetProperty("quota_configs", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (var item in list.EnumerateArray())
            {
                string at = $"update_quota.quota_configs[{index++}]";
                string? role = V1Http.String(item, "role");
                string? why = role is null ? "is required" : Roles.Validate(role);
                if (role is null || why is not null)
                {
                    await V1Http.PlainAsync(context, 400, $"Invalid QuotaConfig: '{at}.role' {why}").ConfigureAwait(false);
                    return;
                }

                if (role == Roles.Default)
                {
                    await V1Http.PlainAsync(context, 400, $"Invalid QuotaConfig: '{at}.role': setting quota for the default '*' role is not supported").ConfigureAwait(false);
                    return;
                }

                var guarantee = Resources.Empty;
                Resources? limit = null;
                if (item.TryGetProperty("guarantees", out var g) && g.ValueKind != JsonValueKind.Null)
                {
                    (guarantee, var error) = V1Resources.ParseScalarMap(g, at + ".guarantees");
                    if (error is not null)
                    {
                        await V1Http.PlainAsync(context, 400, "Invalid QuotaConfig: " + error).ConfigureAwait(false);
                        return;
                    }
                }

                if (item.TryGetProperty("limits", out var l) && l.ValueKind != JsonValueKind.Null)
                {
                    var (parsed, error) = V1Resources.ParseScalarMap(l, at + ".limits");
                    if (error is not null)
                    {
                        await V1Http.PlainAsync(context, 400, "Invalid QuotaConfig: " + error).ConfigureAwait(false);
                        return;
                    }

                    limit = parsed;
                    if (guarantee.Cpus > parsed.Cpus && l.TryGetProperty("cpus", out _) || guarantee.Mem > parsed.Mem && l.TryGetProperty("mem", out _)
                        || guarantee.Disk > parsed.Disk && l.TryGetProperty("disk", out _))
                    {
                        await V1Http.PlainAsync(context, 400, $"Invalid QuotaConfig: '{at}': guarantees exceed limits").ConfigureAwait(false);
                        return;
                    }
                }

                configs.Add((role, guarantee, limit));
            }
        }

        var refused = master.UpdateQuotas(configs);
        await V1Http.PlainAsync(context, refused?.Status ?? 200, refused?.Message ?? string.Empty).ConfigureAwait(false);
    }

    private static async Task ReservationAsync(HttpContext context, MasterCore master, V1Http.V1Call call)
    {
        bool reserve = call.Type == "RESERVE_RESOURCES";
        string field = reserve ? "reserve_resources" : "unreserve_resources";
        if (!call.TryBody(out var body))
        {
            await V1Http.PlainAsync(context, 400, $"Failed to validate master::Call: Expecting '{field}' to be present").ConfigureAwait(false);
            return;
        }

        string? agentId = V1Http.Id(body, "agent_id");
        if (agentId is null)
        {
            await V1Http.PlainAsync(context, 400, $"Failed to convert JSON into Call protobuf: '{field}.agent_id' is required").ConfigureAwait(false);
            return;
        }

        if (!body.TryGetProperty("resources", out var list))
        {
            await V1Http.PlainAsync(context, 400, $"Invalid {(reserve ? "RESERVE" : "UNRESERVE")} operation: '{field}.resources' is empty").ConfigureAwait(false);
            return;
        }

        var (resources, role, parseError) = V1Resources.Parse(list, field + ".resources");
        if (parseError is not null)
        {
            await V1Http.PlainAsync(context, 400, parseError).ConfigureAwait(false);
            return;
        }

        if (role == Roles.Default)
        {
            await V1Http.PlainAsync(context, 400, $"Invalid {(reserve ? "RESERVE" : "UNRESERVE")} operation: '{field}.resources' must be reserved to a role (reservations[].role)").ConfigureAwait(false);
            return;
        }

        bool known = master.Read(m => m.Agents.TryGetValue(agentId, out var a) && a.Status != AgentStatus.Unreachable);
        if (!known)
        {
            await V1Http.PlainAsync(context, 400, "No agent found with specified ID").ConfigureAwait(false);
            return;
        }

        var request = new ReservationRequest { AgentId = agentId, Role = role, Resources = resources.ToResourceSet() };
        var error = reserve ? master.Reserve(request) : master.Unreserve(request);
        if (error is null)
        {
            await V1Http.PlainAsync(context, 202, string.Empty).ConfigureAwait(false);
            return;
        }

        // Mesos answers an operation the agent cannot hold 409 Conflict, a malformed one 400.
        int status = error.Status switch { 409 => 409, 503 => 503, 404 => 400, _ => 400 };
        await V1Http.PlainAsync(context, status, error.Message).ConfigureAwait(false);
    }

    private static async Task MarkAgentGoneAsync(HttpContext context, MasterCore master, V1Http.V1Call call)
    {
        string? agentId = call.TryBody(out var body) ? V1Http.Id(body, "agent_id") : null;
        if (agentId is null)
        {
            await V1Http.PlainAsync(context, 400, "Failed to validate master::Call: Expecting 'mark_agent_gone' to be present").ConfigureAwait(false);
            return;
        }

        var error = master.MarkAgentGone(agentId);
        await V1Http.PlainAsync(context, error?.Status ?? 200, error?.Message ?? string.Empty).ConfigureAwait(false);
    }

    private static async Task TeardownAsync(HttpContext context, MasterCore master, V1Http.V1Call call)
    {
        string? frameworkId = call.TryBody(out var body) ? V1Http.Id(body, "framework_id") : null;
        if (frameworkId is null)
        {
            await V1Http.PlainAsync(context, 400, "Failed to validate master::Call: Expecting 'teardown' to be present").ConfigureAwait(false);
            return;
        }

        var error = master.Teardown(frameworkId);
        if (error is not null)
        {
            await V1Http.PlainAsync(context, 400, "No framework found with specified ID").ConfigureAwait(false);
            return;
        }

        await V1Http.PlainAsync(context, 200, string.Empty).ConfigureAwait(false);
    }
}
