using Microsoft.Extensions.Logging;

namespace Minuet.Platform.Packages;

/// <summary>The package service's log messages (event ids 7000-7099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Warning, Message = "Repository {Name} ({Uri}) unusable: {Reason}")]
    public static partial void RepositoryFailed(ILogger logger, string name, string uri, string reason);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Installed {Package} {Version} as {AppId}")]
    public static partial void Installed(ILogger logger, string package, string version, string appId);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Uninstalled {Package} app {AppId}")]
    public static partial void Uninstalled(ILogger logger, string package, string appId);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Could not tear down framework {Framework} of {Package}: {Reason}")]
    public static partial void TeardownFailed(ILogger logger, string framework, string package, string reason);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Tore down framework {Framework} ({FrameworkId}) of {Package}")]
    public static partial void TornDown(ILogger logger, string framework, string frameworkId, string package);
}
