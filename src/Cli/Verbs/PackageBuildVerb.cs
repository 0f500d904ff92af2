using System.CommandLine;
using Minuet.Platform.Packages.Build;
using Minuet.Platform.Packages.Rendering;

namespace Minuet.Cli.Verbs;

/// <summary><c>package build DIR [--output FILE]</c>: a repository index from package folders, as Universe's gen_universe.py makes one.</summary>
internal static class PackageBuildVerb
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Folder of package folders (<name>/<N>/package.json, config.json, marathon.json.mustache, resource.json)." };
        var output = new Option<string?>("--output") { Description = "Write the index here (default: standard output)." };
        var command = new Command("build", "Make a Universe repository index (v4 document) from package folders; serve it with Content-Type " + UniverseBuilder.MediaTypeV4 + ".") { dir, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var index = UniverseBuilder.Build(parse.GetValue(dir)!, errors);
            if (index is null)
            {
                foreach (var e in errors)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"minuet package build: {e}").ConfigureAwait(false);
                }

                return 1;
            }

            string text = index.ToJsonString(CosmosJson.Indented);
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file, text + "\n", cancellationToken).ConfigureAwait(false);
                await parse.InvocationConfiguration.Output.WriteLineAsync($"Wrote {index["packages"]!.AsArray().Count} package revisions to {file}").ConfigureAwait(false);
            }
            else
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(text).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}
