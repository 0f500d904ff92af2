namespace Minuet.Platform.Jobs.Validation;

/// <summary>One invalid field: its JSON path and why.</summary>
internal sealed record FieldError(string Path, string Message);

/// <summary>Every error of one document, collected rather than stopping at the first (YARP's ConfigValidator habit).</summary>
internal sealed class FieldErrors
{
    private readonly List<FieldError> _errors = [];

    public bool Any => _errors.Count > 0;

    public IReadOnlyList<FieldError> List => _errors;

    public void Add(string path, string message) => _errors.Add(new FieldError(path, message));

    public override string ToString() => string.Join("; ", _errors.Select(e => $"{e.Path}: {e.Message}"));
}
