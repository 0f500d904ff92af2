using Microsoft.Extensions.Logging;

namespace Minuet.ControlPlane.Tests.Agent;

/// <summary>A logger factory that keeps every entry (event id, level, text) for assertions.</summary>
internal sealed class CapturingLoggers : ILoggerFactory, ILoggerProvider
{
    private readonly List<(EventId Id, LogLevel Level, string Text)> _entries = [];

    public IReadOnlyList<(EventId Id, LogLevel Level, string Text)> Entries
    {
        get
        {
            lock (_entries)
            {
                return _entries.ToList();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggers owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._entries)
            {
                owner._entries.Add((eventId, logLevel, formatter(state, exception)));
            }
        }
    }
}
