using System.Text.Json;

namespace Minuet.Benchmarks.ControlPlane;

/// <summary>
/// The clock start of a propagation event: the TASK_RUNNING status timestamp the agent wrote (seconds since the
/// epoch, a double, millisecond resolution), as the master keeps it in <c>/master/state</c> statuses[]. The master
/// stores the agent's update as sent, so this is the agent's clock, the same clock as the bench's on one machine.
/// </summary>
internal static class RunningTimestamp
{
    public static async Task<DateTimeOffset?> ReadAsync(HttpClient http, string master, string taskId)
    {
        try
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync($"{master}/master/state"));
            foreach (var framework in doc.RootElement.GetProperty("frameworks").EnumerateArray())
            {
                foreach (var list in new[] { "tasks", "completed_tasks" })
                {
                    if (!framework.TryGetProperty(list, out var tasks))
                    {
                        continue;
                    }

                    foreach (var task in tasks.EnumerateArray())
                    {
                        if (task.GetProperty("id").GetString() == taskId)
                        {
                            return RunningOf(task);
                        }
                    }
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or KeyNotFoundException or TaskCanceledException)
        {
        }

        return null;
    }

    private static DateTimeOffset? RunningOf(JsonElement task)
    {
        if (!task.TryGetProperty("statuses", out var statuses))
        {
            return null;
        }

        foreach (var status in statuses.EnumerateArray())
        {
            if (status.GetProperty("state").GetString() == "TASK_RUNNING")
            {
                double seconds = status.GetProperty("timestamp").GetDouble();
                return DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
            }
        }

        return null;
    }
}
