using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Minuet.Platform.EdgeLb.Config;

namespace Minuet.Platform.EdgeLb.Runtime;

/// <summary>
/// The paths marathon-lb served with Lua, answered by the controller on <c>DIR/control.sock</c>; HAProxy's
/// <c>listen stats</c> on :9090 routes them here (<c>use_backend mlb_control</c>), so everything is on one port.
/// </summary>
internal static class ControlServer
{
    public static WebApplication Create(EdgeLbController controller, string haproxyDir, ILoggerFactory loggers)
    {
        string socket = ConfigHead.ControlSocket(haproxyDir);
        Directory.CreateDirectory(haproxyDir); // binding a unix socket in a missing directory fails with a misleading EADDRNOTAVAIL
        if (!OperatingSystem.IsWindows())
        {
            // HAProxy's admin socket lands here too: only its owner may reach it.
            Directory.CreateDirectory(ConfigHead.SocketDir(haproxyDir), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        if (File.Exists(socket))
        {
            File.Delete(socket); // left by a previous run; Kestrel will not bind over it
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socket));
        var app = builder.Build();
        app.Map("/metrics", () => Results.Text(controller.Metrics.Render(), "text/plain; version=0.0.4"));
        app.Map("/_haproxy_getconfig", () => Results.Text(controller.RunningConfig, "text/plain"));
        app.Map("/_haproxy_getpids", () => Results.Text($"{controller.MasterPid}\n", "text/plain"));
        app.Map("/_mlb_signal/hup", () =>
        {
            controller.RequestSync();
            return Results.Text("Sent SIGHUP signal to marathon-lb\n", "text/plain");
        });
        app.Map("/_mlb_signal/usr1", () =>
        {
            controller.RequestReload();
            return Results.Text("Sent SIGUSR1 signal to marathon-lb\n", "text/plain");
        });
        return app;
    }
}
