using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Api.Operator;

/// <summary>
/// The operator SUBSCRIBE stream: SUBSCRIBED with the whole <c>get_state</c>, a HEARTBEAT right after it (as Mesos
/// does), then every change, and HEARTBEAT every <c>heartbeat_interval_seconds</c> (src/master/readonly_handler.cpp;
/// 15 s).
/// </summary>
internal static class OperatorStream
{
    public static async Task ServeAsync(HttpContext context, MasterCore master, OperatorEventHub hub, double heartbeatSeconds)
    {
        var (events, unsubscribe) = hub.Subscribe(master, heartbeatSeconds);
        try
        {
            await RecordIoStream.PumpAsync(context, events, TimeSpan.FromSeconds(heartbeatSeconds), heartbeatAfterFirst: true).ConfigureAwait(false);
        }
        finally
        {
            unsubscribe();
        }
    }
}
