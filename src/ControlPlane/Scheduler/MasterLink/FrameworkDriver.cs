using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Scheduler.MasterLink;

/// <summary>
/// Connects a framework's core to its master link: hands it the stream's events and sends its calls in order from
/// one pump, so no master call runs under the core's lock. Shared by the scheduler and the jobs service.
/// </summary>
internal sealed class FrameworkDriver(IFrameworkCore core, IMasterLink link, Action<string, string> refused)
{
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A refusal that only says the master already forgot the task: nothing to log.</summary>
    private static bool IsRoutine(MasterError error) => error.Code is "unknown_update" or "unknown_task";

    public Task OnEventAsync(SchedulerEvent e)
    {
        switch (e.Type)
        {
            case "SUBSCRIBED" when e.Subscribed is { } subscribed:
                core.OnSubscribed(subscribed);
                _subscribed.TrySetResult();
                break;
            case "OFFERS" when e.Offers is { } offers:
                core.HandleOffers(offers);
                break;
            case "UPDATE" when e.Update is { } update:
                core.HandleUpdate(update);
                break;
            case "ERROR":
                refused("subscription", e.Message ?? "error");
                break;
        }

        return Task.CompletedTask;
    }

    /// <summary>Sends the core's calls in order; they wait for a framework id (the first subscription).</summary>
    public async Task PumpAsync(CancellationToken cancellationToken)
    {
        await foreach (var command in core.Outbox.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (core.FrameworkId is null)
            {
                await _subscribed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            var error = await command.SendAsync(link, core.FrameworkId!, cancellationToken).ConfigureAwait(false);
            if (error is null)
            {
                continue;
            }

            core.OnCommandFailed(command, error);
            if (!IsRoutine(error))
            {
                refused(command.GetType().Name, error.Message);
            }
        }
    }
}
