using System.Globalization;

namespace MeanField.Benchmarks;

/// <summary>The <c>--key value</c> options of the suite's commands, read into a table of defaults.</summary>
internal static class CommandOptions
{
    /// <summary>
    /// Reads <paramref name="args"/> as <c>--key value</c> pairs into <paramref name="options"/>, whose keys are the known
    /// options (with their defaults). An unknown key or a key without a value writes
    /// <c>{command}: bad option '…'; known (each with a value): …</c> to stderr and returns false.
    /// </summary>
    public static bool TryRead(string command, ReadOnlySpan<string> args, Dictionary<string, string> options)
    {
        for (int i = 0; i < args.Length; i += 2)
        {
            string key = args[i].TrimStart('-');
            if (!options.ContainsKey(key) || i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"{command}: bad option '{args[i]}'; known (each with a value): {string.Join(", ", options.Keys.Select(k => "--" + k))}");
                return false;
            }

            options[key] = args[i + 1];
        }

        return true;
    }

    /// <summary>
    /// Option <paramref name="key"/> of <paramref name="options"/> as an integer of at least <paramref name="min"/>; when it
    /// is not one, writes <c>{command}: --{key} must be an integer ≥ {min} (got '…')</c> to <paramref name="error"/> and
    /// returns false.
    /// </summary>
    public static bool TryInt(string command, Dictionary<string, string> options, string key, int min, TextWriter error, out int value)
    {
        if (int.TryParse(options[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min)
        {
            return true;
        }

        error.WriteLine($"{command}: --{key} must be an integer ≥ {min} (got '{options[key]}')");
        return false;
    }
}
