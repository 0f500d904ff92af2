using System.Text;

namespace Minuet.Cli.Client;

/// <summary>A password from <c>--password-file</c> (its first line), or typed at a prompt without echo.</summary>
internal static class PasswordInput
{
    /// <summary>The password, or null with the reason.</summary>
    public static string? Read(string? file, string prompt, TextWriter output, out string? error)
    {
        error = null;
        if (file is not null)
        {
            try
            {
                string text = file == "-" ? Console.In.ReadLine() ?? string.Empty : File.ReadAllText(file);
                return text.Split('\n')[0].TrimEnd('\r');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error = $"--password-file: cannot read {file}: {e.Message}";
                return null;
            }
        }

        if (Console.IsInputRedirected)
        {
            output.Write(prompt);
            return Console.In.ReadLine() ?? string.Empty;
        }

        output.Write(prompt);
        output.Flush();
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                output.WriteLine();
                return password.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
    }
}
