using System.Net;
using Minuet.ControlPlane.Scheduler;
using Minuet.ControlPlane.Tests.Master;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>
/// A scheduler host (the Marathon API on 127.0.0.1) subscribed to an in-process <see cref="TestMaster"/> with one
/// registered agent, and a client for it: the set-up of the tests that drive the API over HTTP.
/// </summary>
public abstract class SchedulerHostFixture : IAsyncLifetime, IDisposable
{
    private SchedulerHost? _host;
    private HttpClient? _http;

    private protected TestMaster Master { get; } = new(time: new ManualTime(DateTimeOffset.UtcNow));

    private protected string AgentId { get; private set; } = string.Empty;

    private protected SchedulerHost Host => _host!;

    private protected HttpClient Http => _http!;

    /// <summary>CPUs of the one agent (the master's default unless a test class needs another).</summary>
    private protected virtual double AgentCpus => 4;

    public async Task InitializeAsync()
    {
        AgentId = Master.RegisterAgent(cpus: AgentCpus);
        _host = SchedulerHost.Create(new SchedulerHostOptions { MarathonListen = new IPEndPoint(IPAddress.Loopback, 0), Master = Master.Core });
        await _host.StartAsync();
        _http = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        await HostTestSteps.WaitAsync(() => Task.FromResult(_host.Core.FrameworkId is not null));
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _http?.Dispose();
        GC.SuppressFinalize(this);
    }
}
