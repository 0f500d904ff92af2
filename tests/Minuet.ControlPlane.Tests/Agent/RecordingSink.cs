using Minuet.ControlPlane.Agent.Status;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Agent;

/// <summary>A status sink that records every delivery attempt and acknowledges after a configurable number of failures.</summary>
internal sealed class RecordingSink : IStatusUpdateSink
{
    private readonly object _gate = new();
    private readonly List<TaskStatusUpdate> _attempts = [];
    private readonly List<TaskStatusUpdate> _acknowledged = [];

    /// <summary>Each update is refused (Retry) this many times before it is acknowledged.</summary>
    public int FailuresPerUpdate { get; set; }

    /// <summary>While false every attempt is answered Retry (master down).</summary>
    public bool Online { get; set; } = true;

    public IReadOnlyList<TaskStatusUpdate> Attempts
    {
        get
        {
            lock (_gate)
            {
                return _attempts.ToList();
            }
        }
    }

    public IReadOnlyList<TaskStatusUpdate> Acknowledged
    {
        get
        {
            lock (_gate)
            {
                return _acknowledged.ToList();
            }
        }
    }

    public Task<StatusSendOutcome> SendAsync(TaskStatusUpdate update, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _attempts.Add(update);
            int tries = _attempts.Count(a => a.Uuid == update.Uuid);
            if (!Online || tries <= FailuresPerUpdate)
            {
                return Task.FromResult(StatusSendOutcome.Retry);
            }

            _acknowledged.Add(update);
            return Task.FromResult(StatusSendOutcome.Acknowledged);
        }
    }

    public IReadOnlyList<TaskStatusUpdate> For(string taskId) => Acknowledged.Where(u => u.TaskId == taskId).ToList();

    /// <summary>Waits until an acknowledged update of the task matches; fails the test after the timeout.</summary>
    public async Task<TaskStatusUpdate> WaitForAsync(string taskId, Func<TaskStatusUpdate, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            var found = For(taskId).FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"no matching update for {taskId}; got: {string.Join(", ", For(taskId).Select(u => u.State))}");
    }

    public Task<TaskStatusUpdate> WaitForStateAsync(string taskId, string state, TimeSpan? timeout = null) =>
        WaitForAsync(taskId, u => u.State == state, timeout);
}
