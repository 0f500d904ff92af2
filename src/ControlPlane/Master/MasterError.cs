using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Master;

/// <summary>A refusal from the master: HTTP status, stable code, message and per-field errors (JSON pointers).</summary>
internal sealed record MasterError(int Status, string Code, string Message, IReadOnlyList<FieldError>? Details = null)
{
    public ProtocolError ToProtocolError() => new() { Message = Message, Code = Code, Details = Details ?? [] };

    public static MasterError Invalid(IReadOnlyList<FieldError> details) =>
        new(422, ProtocolErrorCodes.Invalid, "invalid request: " + string.Join("; ", details.Select(d => $"{d.Path} {string.Join(", ", d.Errors)}")), details);

    public static MasterError Field(string path, string error) => Invalid([new FieldError(path, [error])]);

    public static MasterError NotFound(string code, string message) => new(404, code, message);

    /// <summary>The store refused a write (disk full, I/O error): nothing changed, the caller may retry.</summary>
    public static MasterError StoreUnavailable(string message) => new(503, ProtocolErrorCodes.StoreUnavailable, message);
}

/// <summary>Collects field errors with their JSON pointers.</summary>
internal sealed class FieldErrorList
{
    private readonly List<(string Path, List<string> Errors)> _items = [];

    public bool Any => _items.Count > 0;

    public int Count => _items.Count;

    public void Add(string path, string error)
    {
        foreach (var item in _items)
        {
            if (item.Path == path)
            {
                item.Errors.Add(error);
                return;
            }
        }

        _items.Add((path, [error]));
    }

    public void AddAll(string prefix, IEnumerable<FieldError> errors)
    {
        foreach (var e in errors)
        {
            foreach (var message in e.Errors)
            {
                Add(prefix + e.Path, message);
            }
        }
    }

    public IReadOnlyList<FieldError> ToList() => _items.Select(i => new FieldError(i.Path, i.Errors)).ToList();
}
