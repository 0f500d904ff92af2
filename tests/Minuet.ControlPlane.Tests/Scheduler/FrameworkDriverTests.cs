using System.Threading.Channels;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.MasterLink;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>The pump and event switch the scheduler and the jobs service share.</summary>
public sealed class FrameworkDriverTests
{
    [Fact]
    public async Task Pump_RefusedCalls_ReachTheCoreAndOnlyUnusualRefusalsAreLogged()
    {
        var core = new RecordingCore();
        var link = new RefusingLink();
        var logged = new List<string>();
        var driver = new FrameworkDriver(core, link, (call, message) => logged.Add($"{call}: {message}"));
        await driver.OnEventAsync(new SchedulerEvent { Type = "SUBSCRIBED", Subscribed = new SubscribedEvent("fw-1", 15, "m", "127.0.0.1:5050") });
        core.Send(new KillCommand(new KillRequest { TaskId = "gone" }));
        core.Send(new AcceptCommand(new AcceptRequest { OfferIds = ["o1"] }));
        core.Send(new DeclineCommand(new DeclineRequest { OfferIds = ["o2"] }));
        core.Complete();

        await driver.PumpAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["fw-1/KillCommand", "fw-1/AcceptCommand", "fw-1/DeclineCommand"], link.Sent);
        Assert.Equal(["KillCommand:unknown_task", "AcceptCommand:bad_offer"], core.Failed);
        Assert.Equal(["AcceptCommand: offer o1 is gone"], logged); // unknown_task only says the master forgot the task
    }

    [Fact]
    public async Task Pump_CallsBeforeTheFirstSubscription_WaitForTheFrameworkId()
    {
        var core = new RecordingCore();
        var link = new RefusingLink();
        var driver = new FrameworkDriver(core, link, (_, _) => { });
        core.Send(new DeclineCommand(new DeclineRequest { OfferIds = ["o1"] }));
        core.Complete();
        var pump = driver.PumpAsync(CancellationToken.None);
        await Task.Yield();
        Assert.Empty(link.Sent);

        await driver.OnEventAsync(new SchedulerEvent { Type = "SUBSCRIBED", Subscribed = new SubscribedEvent("fw-2", 15, "m", "127.0.0.1:5050") });
        await pump.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["fw-2/DeclineCommand"], link.Sent);
    }

    [Fact]
    public async Task OnEvent_StreamError_IsLoggedAsARefusedSubscription()
    {
        var logged = new List<string>();
        var driver = new FrameworkDriver(new RecordingCore(), new RefusingLink(), (call, message) => logged.Add($"{call}: {message}"));

        await driver.OnEventAsync(new SchedulerEvent { Type = "ERROR", Message = "framework removed" });

        Assert.Equal(["subscription: framework removed"], logged);
    }

    private sealed class RecordingCore : IFrameworkCore
    {
        private readonly Channel<MasterCommand> _outbox = Channel.CreateUnbounded<MasterCommand>();

        public string? FrameworkId { get; private set; }

        public ChannelReader<MasterCommand> Outbox => _outbox.Reader;

        public List<string> Failed { get; } = [];

        public void Send(MasterCommand command) => _outbox.Writer.TryWrite(command);

        public void Complete() => _outbox.Writer.Complete();

        public void OnSubscribed(SubscribedEvent subscribed) => FrameworkId = subscribed.FrameworkId;

        public void HandleOffers(IReadOnlyList<OfferInfo> offers)
        {
        }

        public void HandleUpdate(SchedulerStatus status)
        {
        }

        public void OnCommandFailed(MasterCommand command, MasterError error) => Failed.Add($"{command.GetType().Name}:{error.Code}");
    }

    /// <summary>Refuses kills as unknown tasks and accepts as gone offers; takes declines.</summary>
    private sealed class RefusingLink : IMasterLink
    {
        public List<string> Sent { get; } = [];

        public Task RunAsync(Func<SubscribeRequest> request, Func<SchedulerEvent, Task> onEvent, Action onDisconnected, CancellationToken cancellationToken) =>
            Task.Delay(Timeout.Infinite, cancellationToken);

        public Task<MasterError?> AcceptAsync(string frameworkId, AcceptRequest request, CancellationToken cancellationToken) =>
            Record(frameworkId, "AcceptCommand", new MasterError(400, "bad_offer", $"offer {request.OfferIds[0]} is gone"));

        public Task<MasterError?> DeclineAsync(string frameworkId, DeclineRequest request, CancellationToken cancellationToken) =>
            Record(frameworkId, "DeclineCommand", null);

        public Task<MasterError?> KillAsync(string frameworkId, KillRequest request, CancellationToken cancellationToken) =>
            Record(frameworkId, "KillCommand", new MasterError(404, "unknown_task", $"no task {request.TaskId}"));

        public Task<MasterError?> AcknowledgeAsync(string frameworkId, AcknowledgeRequest request, CancellationToken cancellationToken) =>
            Record(frameworkId, "AcknowledgeCommand", null);

        public Task<MasterError?> ReconcileAsync(string frameworkId, ReconcileRequest request, CancellationToken cancellationToken) =>
            Record(frameworkId, "ReconcileCommand", null);

        public Task<MasterError?> ReviveAsync(string frameworkId, CancellationToken cancellationToken) => Record(frameworkId, "ReviveCommand", null);

        private Task<MasterError?> Record(string frameworkId, string call, MasterError? answer)
        {
            Sent.Add($"{frameworkId}/{call}");
            return Task.FromResult(answer);
        }
    }
}
