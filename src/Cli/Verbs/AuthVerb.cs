using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using Minuet.Cli.Client;
using Minuet.Platform.AdminRouter.Users;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet auth login | logout | add-user</c>: a token from Admin Router's <c>/acs/api/v1/auth/login</c> kept in
/// the CLI config (mode 0600) for every client verb, and local users added straight into the router's store.
/// </summary>
internal static class AuthVerb
{
    public static Command Create()
    {
        var command = new Command("auth", "Log in to Admin Router (the token is kept for every client verb) and manage its local users.");
        command.Subcommands.Add(Login());
        command.Subcommands.Add(Logout());
        command.Subcommands.Add(AddUser());
        return command;
    }

    private static Command Login()
    {
        var username = new Option<string?>("--username") { Description = "The uid to log in as (default: this system user's name)." };
        var passwordFile = new Option<string?>("--password-file") { Description = "Read the password from this file's first line (- for standard input); prompts otherwise." };
        var url = ClusterClient.UrlOption();
        var command = new Command("login", "Log in to Admin Router and store the token in the CLI config (the first login on a new cluster creates that user).") { username, passwordFile, url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            string router = ClusterClient.RouterUrl(parse.GetValue(url));
            string uid = parse.GetValue(username) ?? Environment.UserName;
            string? password = PasswordInput.Read(parse.GetValue(passwordFile), $"{uid}'s password for {router}: ", output, out string? problem);
            if (password is null)
            {
                await error.WriteLineAsync($"minuet auth login: {problem}").ConfigureAwait(false);
                return 1;
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            HttpResponseMessage response;
            try
            {
                response = await http.PostAsJsonAsync(router + "/acs/api/v1/auth/login", new Dictionary<string, string> { ["uid"] = uid, ["password"] = password }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync($"minuet auth login: cannot reach Admin Router at {router}: {e.Message} (is `minuet up` running? --url sets the address)").ConfigureAwait(false);
                return 2;
            }

            using (response)
            {
                string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    string retry = response.Headers.RetryAfter?.Delta is { } wait ? $" (retry in {wait.TotalSeconds:0} s)" : string.Empty;
                    await error.WriteLineAsync($"minuet auth login: {router} refused: {(int)response.StatusCode} {Describe(body)}{retry}").ConfigureAwait(false);
                    return 1;
                }

                string? token = TokenOf(body);
                if (token is null)
                {
                    await error.WriteLineAsync($"minuet auth login: {router} answered without a token: {body}").ConfigureAwait(false);
                    return 2;
                }

                var config = CliConfig.Load();
                config.Set(CliConfig.TokenKey, token);
                if (parse.GetValue(url) is { Length: > 0 } explicitUrl)
                {
                    config.Set(CliConfig.UrlKey, explicitUrl.TrimEnd('/'));
                }

                config.Save();
                await output.WriteLineAsync($"Logged in to {router} as {uid}; token stored in {config.Path}.").ConfigureAwait(false);
                return 0;
            }
        });
        return command;
    }

    private static Command Logout()
    {
        var command = new Command("logout", "Forget the stored token.");
        command.SetAction(async (parse, _) =>
        {
            var config = CliConfig.Load();
            config.Set(CliConfig.TokenKey, null);
            config.Save();
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Token removed from {config.Path}.").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command AddUser()
    {
        var name = new Argument<string>("name") { Description = "The uid (letters, digits, @._-)." };
        var passwordFile = new Option<string?>("--password-file") { Description = "Read the password from this file's first line (- for standard input); prompts otherwise." };
        var description = new Option<string>("--description") { Description = "A note shown in the users list.", DefaultValueFactory = _ => string.Empty };
        var stateDir = new Option<string?>("--state-dir") { Description = "Admin Router's state dir (default $MINUET_STATE_DIR/admin-router, else ~/.minuet/admin-router: where `minuet up`'s keeps its users)." };
        var command = new Command("add-user", "Add (or reset) a local Admin Router user, written straight to its store (a running router sees it at once).") { name, passwordFile, description, stateDir };
        command.SetAction(async (parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            string uid = parse.GetValue(name)!;
            if (UserStore.CheckUid(uid) is { } bad)
            {
                await error.WriteLineAsync($"minuet auth add-user: {bad}").ConfigureAwait(false);
                return 1;
            }

            string? dir = parse.GetValue(stateDir) ?? AdminRouterVerb.DefaultDir();
            if (dir is null)
            {
                await error.WriteLineAsync("minuet auth add-user: --state-dir: no home directory; give --state-dir DIR").ConfigureAwait(false);
                return 1;
            }

            string? password = PasswordInput.Read(parse.GetValue(passwordFile), $"password for {uid}: ", output, out string? problem);
            if (password is null)
            {
                await error.WriteLineAsync($"minuet auth add-user: {problem}").ConfigureAwait(false);
                return 1;
            }

            try
            {
                var store = new UserStore(Path.Combine(Path.GetFullPath(dir), "auth"), PasswordHash.DefaultIterations);
                if (store.Put(uid, password, parse.GetValue(description)!) is { } refused)
                {
                    await error.WriteLineAsync($"minuet auth add-user: {refused}").ConfigureAwait(false);
                    return 1;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                await error.WriteLineAsync($"minuet auth add-user: --state-dir: cannot write the user store in {dir}: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            await output.WriteLineAsync($"User {uid} added to {dir}; log in with ./minuet auth login --username {uid}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static string? TokenOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("token", out var t) ? t.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("description", out var d) ? d.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }
}
