using System.Threading.Channels;

namespace Minuet.ControlPlane.Master;

/// <summary>
/// One subscription of a framework: the master writes events, the subscriber (an HTTP stream or an in-process
/// scheduler) reads them. A new subscription closes the previous one.
/// </summary>
internal sealed class FrameworkConnection
{
    private readonly Channel<SchedulerEvent> _events = Channel.CreateUnbounded<SchedulerEvent>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    private int _closed;

    public FrameworkConnection(string frameworkId) => FrameworkId = frameworkId;

    public string FrameworkId { get; }

    public ChannelReader<SchedulerEvent> Events => _events.Reader;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public void Send(SchedulerEvent e)
    {
        if (!IsClosed)
        {
            _events.Writer.TryWrite(e);
        }
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _events.Writer.TryComplete();
        }
    }
}
