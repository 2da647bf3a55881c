using System.Globalization;
using System.Text.Json;

namespace MeanField.Benchmarks.Tracking;

/// <summary>
/// Reads result sets: BenchmarkDotNet's JSON reports (full or brief, one per benchmark class or one
/// joined), the compact files <see cref="ResultWriter"/> writes (the committed baselines), or a folder of
/// either (every *.json in it, merged). Anything else is a <see cref="ResultFormatException"/> naming the file.
/// </summary>
internal static class ResultReader
{
    /// <summary>Reads a file, or every *.json file of a folder merged into one set.</summary>
    public static ResultSet Read(string path)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
            {
                throw new ResultFormatException($"{path}: the folder has no *.json result files");
            }

            return Merge(path, files.Select(ReadFile).ToArray());
        }

        if (!File.Exists(path))
        {
            throw new ResultFormatException($"{path}: no such file or folder");
        }

        return ReadFile(path);
    }

    private static ResultSet ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultFormatException($"{path}: cannot be read: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses the text of one result file; <paramref name="source"/> names it in messages.</summary>
    public static ResultSet Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new ResultFormatException($"{source}: not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            try
            {
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Benchmarks", out _))
                {
                    return ParseBenchmarkDotNet(root, source);
                }

                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String)
                {
                    if (format.GetString() != ResultWriter.Format)
                    {
                        throw new ResultFormatException($"{source}: unknown format '{format.GetString()}' (expected '{ResultWriter.Format}')");
                    }

                    return ParseCompact(root, source);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
            {
                // JsonElement throws InvalidOperationException on a value of the wrong kind.
                throw new ResultFormatException($"{source}: unexpected content ({e.Message})", e);
            }

            throw new ResultFormatException(
                $"{source}: neither a BenchmarkDotNet JSON report (no \"Benchmarks\" array) nor a tracking result file (no \"format\": \"{ResultWriter.Format}\")");
        }
    }

    private static ResultSet ParseBenchmarkDotNet(JsonElement root, string source)
    {
        var host = root.TryGetProperty("HostEnvironmentInfo", out var h) && h.ValueKind == JsonValueKind.Object ? h : default;
        var benchmarks = Required(root, "Benchmarks", JsonValueKind.Array, source);
        var entries = new List<BenchmarkEntry>();
        string job = "";
        string intrinsics = "";
        foreach (var benchmark in benchmarks.EnumerateArray())
        {
            string type = RequiredString(benchmark, "Type", source);
            string method = RequiredString(benchmark, "Method", source);
            string parameters = OptionalString(benchmark, "Parameters");
            if (job.Length == 0)
            {
                job = JobOf(OptionalString(benchmark, "DisplayInfo"));
            }

            if (intrinsics.Length == 0)
            {
                intrinsics = OptionalString(benchmark, "HardwareIntrinsics");
            }

            // A benchmark that failed has no statistics: it is left out, and shows as missing.
            if (!benchmark.TryGetProperty("Statistics", out var statistics) || statistics.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            double error = statistics.TryGetProperty("ConfidenceInterval", out var interval) && interval.ValueKind == JsonValueKind.Object
                ? OptionalDouble(interval, "Margin")
                : 0;
            long? allocated = benchmark.TryGetProperty("Memory", out var memory) && memory.ValueKind == JsonValueKind.Object
                && memory.TryGetProperty("BytesAllocatedPerOperation", out var bytes) && bytes.ValueKind == JsonValueKind.Number
                ? bytes.GetInt64()
                : null;
            entries.Add(new BenchmarkEntry(
                $"{type}.{method}",
                parameters,
                RequiredDouble(statistics, "Mean", source),
                error,
                OptionalDouble(statistics, "StandardDeviation"),
                OptionalDouble(statistics, "Median"),
                statistics.TryGetProperty("N", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : 0,
                allocated));
        }

        var machine = host.ValueKind == JsonValueKind.Object
            ? new MachineInfo(
                OptionalString(host, "ProcessorName"),
                OptionalInt(host, "PhysicalCoreCount"),
                OptionalInt(host, "LogicalCoreCount"),
                OptionalString(host, "Architecture"),
                intrinsics,
                OptionalString(host, "OsVersion"),
                OptionalString(host, "RuntimeVersion"),
                OptionalString(host, "BenchmarkDotNetVersion"),
                DateOfTitle(OptionalString(root, "Title")))
            : MachineInfo.Unknown with { HardwareIntrinsics = intrinsics };
        return new ResultSet(source, machine, job, Unique(entries, source));
    }

    private static ResultSet ParseCompact(JsonElement root, string source)
    {
        var m = Required(root, "machine", JsonValueKind.Object, source);
        var machine = new MachineInfo(
            OptionalString(m, "cpu"),
            OptionalInt(m, "physicalCores"),
            OptionalInt(m, "logicalCores"),
            OptionalString(m, "architecture"),
            OptionalString(m, "hardwareIntrinsics"),
            OptionalString(m, "os"),
            OptionalString(m, "runtime"),
            OptionalString(m, "benchmarkDotNet"),
            OptionalString(m, "date"));
        var entries = new List<BenchmarkEntry>();
        foreach (var b in Required(root, "benchmarks", JsonValueKind.Array, source).EnumerateArray())
        {
            entries.Add(new BenchmarkEntry(
                RequiredString(b, "name", source),
                OptionalString(b, "parameters"),
                RequiredDouble(b, "meanNs", source),
                OptionalDouble(b, "errorNs"),
                OptionalDouble(b, "stdDevNs"),
                OptionalDouble(b, "medianNs"),
                OptionalInt(b, "iterations"),
                b.TryGetProperty("allocatedBytes", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetInt64() : null));
        }

        return new ResultSet(source, machine, OptionalString(root, "job"), Unique(entries, source));
    }

    /// <summary>Merges the sets of one folder: machine and job of the first, every benchmark once.</summary>
    private static ResultSet Merge(string source, IReadOnlyList<ResultSet> sets)
    {
        var entries = new List<BenchmarkEntry>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var set in sets)
        {
            foreach (var entry in set.Benchmarks)
            {
                if (!seen.TryAdd(entry.Key, set.Source))
                {
                    throw new ResultFormatException(
                        $"{source}: {entry.Key} is in both {seen[entry.Key]} and {set.Source}; keep one run's files in the folder, or name one file");
                }

                entries.Add(entry);
            }
        }

        var first = sets.FirstOrDefault(s => s.Benchmarks.Count > 0) ?? sets[0];
        return new ResultSet(source, first.Machine, first.Job, entries);
    }

    private static IReadOnlyList<BenchmarkEntry> Unique(List<BenchmarkEntry> entries, string source)
    {
        var duplicate = entries.GroupBy(e => e.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ResultFormatException($"{source}: {duplicate.Key} appears {duplicate.Count()} times (one job per benchmark is expected)");
        }

        return entries;
    }

    /// <summary>"OperatorBenchmarks.Scalar: Tracking(IterationCount=10, ...) [Model=bump]" → "Tracking(IterationCount=10, ...)".</summary>
    private static string JobOf(string displayInfo)
    {
        int start = displayInfo.IndexOf(": ", StringComparison.Ordinal);
        if (start < 0)
        {
            return "";
        }

        int end = displayInfo.LastIndexOf(" [", StringComparison.Ordinal);
        return (end > start ? displayInfo[(start + 2)..end] : displayInfo[(start + 2)..]).Trim();
    }

    /// <summary>BenchmarkDotNet's titles end in the run's local time, "…-2025-11-22-21-48-30".</summary>
    private static string DateOfTitle(string title)
    {
        const string pattern = "yyyy-MM-dd-HH-mm-ss";
        return title.Length >= pattern.Length
            && DateTime.TryParseExact(title[^pattern.Length..], pattern, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var date)
            ? date.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)
            : "";
    }

    private static JsonElement Required(JsonElement element, string name, JsonValueKind kind, string source)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != kind)
        {
            throw new ResultFormatException($"{source}: expected \"{name}\" to be a JSON {kind.ToString().ToLowerInvariant()}");
        }

        return value;
    }

    private static string RequiredString(JsonElement element, string name, string source) =>
        Required(element, name, JsonValueKind.String, source).GetString()!;

    private static double RequiredDouble(JsonElement element, string name, string source)
    {
        double value = Required(element, name, JsonValueKind.Number, source).GetDouble();
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ResultFormatException($"{source}: \"{name}\" is {value.ToString(CultureInfo.InvariantCulture)}, expected a non-negative time");
        }

        return value;
    }

    private static string OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static double OptionalDouble(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : 0;

    private static int OptionalInt(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int i) ? i : 0;
}
