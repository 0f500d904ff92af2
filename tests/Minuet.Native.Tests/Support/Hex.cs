namespace Minuet.Native.Tests.Support;

/// <summary>Golden bytes written as hex dumps ("1c 00 00 00 ..."), whitespace ignored.</summary>
internal static class Hex
{
    public static byte[] Parse(string dump) =>
        Convert.FromHexString(string.Concat(dump.Where(c => !char.IsWhiteSpace(c))));

    public static string Format(ReadOnlySpan<byte> bytes) =>
        string.Join(' ', bytes.ToArray().Select(b => b.ToString("x2")));
}
