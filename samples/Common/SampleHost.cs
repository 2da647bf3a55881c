namespace MeanField.Samples;

/// <summary>
/// The frame of a sample's <c>Main</c>: parses the command line, prints usage on <c>--help</c>, and turns a bad argument
/// into one line on the error writer that names the argument and the value, the usage line, and exit code 2.
/// </summary>
public static class SampleHost
{
    /// <summary>Exit code of a bad command line.</summary>
    public const int BadArguments = 2;

    /// <summary>Runs <paramref name="body"/> with the parsed arguments.</summary>
    /// <param name="name">The sample's name (usage line, default output folder).</param>
    /// <param name="args">The command line.</param>
    /// <param name="defaults">Values of the options not given.</param>
    /// <param name="accepted">The options the sample accepts.</param>
    /// <param name="output">Where the sample writes its report.</param>
    /// <param name="error">Where errors and usage go.</param>
    /// <param name="body">The sample; returns its exit code.</param>
    /// <returns>The body's exit code, 0 for <c>--help</c>, or <see cref="BadArguments"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static int Run(string name, IReadOnlyList<string> args, SampleArguments defaults, SampleOptions accepted, TextWriter output, TextWriter error, Func<SampleArguments, int> body)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(body);
        SampleArguments parsed;
        try
        {
            parsed = SampleArguments.Parse(args, defaults, accepted);
        }
        catch (SampleArgumentException e)
        {
            error.WriteLine($"error: {e.Message}");
            error.WriteLine(SampleArguments.Usage(name, accepted));
            return BadArguments;
        }

        if (parsed.Help)
        {
            output.WriteLine(SampleArguments.Usage(name, accepted));
            return 0;
        }

        return body(parsed);
    }

    /// <summary>
    /// The default folder for a sample's results: <c>artifacts/samples/&lt;name&gt;</c> in the repository that holds the
    /// running program (found by walking up to <c>MeanField.sln</c>), else under the current folder.
    /// </summary>
    /// <param name="name">The sample's name.</param>
    public static string DefaultOutputDirectory(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MeanField.sln")))
            {
                return Path.Combine(dir.FullName, "artifacts", "samples", name);
            }
        }

        return Path.Combine(Environment.CurrentDirectory, "artifacts", "samples", name);
    }
}
