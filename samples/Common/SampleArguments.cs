using System.Globalization;

namespace MeanField.Samples;

/// <summary>The command-line options a sample may accept.</summary>
[Flags]
public enum SampleOptions
{
    /// <summary>No option.</summary>
    None = 0,

    /// <summary><c>--steps N</c>, N ≥ 1.</summary>
    Steps = 1,

    /// <summary><c>--threads T</c>, 1 ≤ T ≤ 1024.</summary>
    Threads = 2,

    /// <summary><c>--out DIR</c>, the folder for the result files.</summary>
    Out = 4,

    /// <summary><c>--seed S</c>, an unsigned 64-bit integer.</summary>
    Seed = 8,

    /// <summary>Every option.</summary>
    All = Steps | Threads | Out | Seed,
}

/// <summary>A bad command line: names the argument and the value.</summary>
/// <param name="argument">The option, e.g. <c>--steps</c> (or the unknown word as given).</param>
/// <param name="value">The value given (null when it was missing).</param>
/// <param name="message">The whole message, naming both.</param>
public sealed class SampleArgumentException(string argument, string? value, string message) : Exception(message)
{
    /// <summary>The option, e.g. <c>--steps</c>, or the unknown word as given.</summary>
    public string Argument { get; } = argument;

    /// <summary>The value given, or null when it was missing.</summary>
    public string? Value { get; } = value;
}

/// <summary>
/// The parsed command line of a sample: <c>[--steps N] [--threads T] [--out DIR] [--seed S] [--help]</c>, each option at
/// most once, in any order. <see cref="Parse"/> rejects an unknown or repeated option, a missing value and a value out of
/// range with a <see cref="SampleArgumentException"/> whose message names the option and the value.
/// </summary>
/// <param name="Steps">Steps of the run.</param>
/// <param name="Threads">Threads for the reductions.</param>
/// <param name="OutputDirectory">Where the result files go.</param>
/// <param name="Seed">The seed of the random numbers.</param>
public sealed record SampleArguments(int Steps, int Threads, string OutputDirectory, ulong Seed)
{
    /// <summary>The largest accepted <c>--threads</c> (the runtime's thread limit).</summary>
    public const int MaxThreads = 1024;

    /// <summary>True when <c>--help</c> or <c>-h</c> was given (the other options are then the defaults).</summary>
    public bool Help { get; init; }

    /// <summary>The usage line of the options in <paramref name="accepted"/>.</summary>
    /// <param name="sample">The sample's name, first on the line.</param>
    /// <param name="accepted">The options the sample accepts.</param>
    public static string Usage(string sample, SampleOptions accepted)
    {
        var parts = new List<string> { $"Usage: {sample}" };
        if (accepted.HasFlag(SampleOptions.Steps))
        {
            parts.Add("[--steps N ≥ 1]");
        }

        if (accepted.HasFlag(SampleOptions.Threads))
        {
            parts.Add($"[--threads T in 1…{MaxThreads}]");
        }

        if (accepted.HasFlag(SampleOptions.Out))
        {
            parts.Add("[--out DIR]");
        }

        if (accepted.HasFlag(SampleOptions.Seed))
        {
            parts.Add("[--seed S ≥ 0]");
        }

        parts.Add("[--help]");
        return string.Join(' ', parts);
    }

    /// <summary>Parses <paramref name="args"/>, starting from <paramref name="defaults"/>.</summary>
    /// <param name="args">The command line (after <c>--</c> of <c>dotnet run</c>).</param>
    /// <param name="defaults">The values of options not given.</param>
    /// <param name="accepted">The options this sample accepts; any other is an error.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="SampleArgumentException">An unknown or repeated option, a missing value, or a value out of range.</exception>
    public static SampleArguments Parse(IReadOnlyList<string> args, SampleArguments defaults, SampleOptions accepted)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(defaults);
        var result = defaults;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i] ?? throw new ArgumentNullException(nameof(args), $"args[{i}] is null.");
            if (name is "--help" or "-h")
            {
                return defaults with { Help = true };
            }

            SampleOptions option = name switch
            {
                "--steps" => SampleOptions.Steps,
                "--threads" => SampleOptions.Threads,
                "--out" => SampleOptions.Out,
                "--seed" => SampleOptions.Seed,
                _ => SampleOptions.None,
            };
            if (option == SampleOptions.None || !accepted.HasFlag(option))
            {
                throw new SampleArgumentException(name, null, $"Unknown argument '{name}'; the options are: {Options(accepted)}.");
            }

            if (!seen.Add(name))
            {
                throw new SampleArgumentException(name, null, $"{name} is given twice; give it once.");
            }

            if (i + 1 >= args.Count)
            {
                throw new SampleArgumentException(name, null, $"{name} needs a value ({Expected(option)}); none was given.");
            }

            string value = args[++i] ?? throw new ArgumentNullException(nameof(args), $"args[{i}] is null.");
            result = option switch
            {
                SampleOptions.Steps => result with { Steps = Integer(name, value, 1, int.MaxValue, option) },
                SampleOptions.Threads => result with { Threads = Integer(name, value, 1, MaxThreads, option) },
                SampleOptions.Out => result with { OutputDirectory = Directory(name, value) },
                _ => result with { Seed = Unsigned(name, value, option) },
            };
        }

        return result;
    }

    private static string Options(SampleOptions accepted)
    {
        var names = new List<string>();
        foreach (var (flag, name) in new[] { (SampleOptions.Steps, "--steps"), (SampleOptions.Threads, "--threads"), (SampleOptions.Out, "--out"), (SampleOptions.Seed, "--seed") })
        {
            if (accepted.HasFlag(flag))
            {
                names.Add(name);
            }
        }

        names.Add("--help");
        return string.Join(", ", names);
    }

    private static string Expected(SampleOptions option) => option switch
    {
        SampleOptions.Steps => "an integer ≥ 1",
        SampleOptions.Threads => $"an integer from 1 to {MaxThreads}",
        SampleOptions.Out => "a folder",
        _ => "an integer from 0 to 18446744073709551615",
    };

    private static int Integer(string name, string value, int min, int max, SampleOptions option)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new SampleArgumentException(name, value, $"{name} '{value}' is not valid; it must be {Expected(option)}.");

    private static ulong Unsigned(string name, string value, SampleOptions option)
        => ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong parsed)
            ? parsed
            : throw new SampleArgumentException(name, value, $"{name} '{value}' is not valid; it must be {Expected(option)}.");

    private static string Directory(string name, string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.StartsWith("--", StringComparison.Ordinal) || value.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            throw new SampleArgumentException(name, value, $"{name} '{value}' is not valid; it must name a folder.");
        }

        if (File.Exists(value))
        {
            throw new SampleArgumentException(name, value, $"{name} '{value}' is a file; it must name a folder (created when missing).");
        }

        return value;
    }
}
