using System.Globalization;
using BenchmarkDotNet.Running;
using MeanField.Benchmarks.Tracking;

namespace MeanField.Benchmarks;

/// <summary>The `track` and `compare` modes of the benchmark program (see benchmarks/README.md).</summary>
internal static class TrackingCommands
{
    private const string TrackUsage =
        "usage: track [--out FILE] [--artifacts DIR] [BenchmarkDotNet options, e.g. --filter '*W1*']\n" +
        "  runs the suite (all benchmarks unless --filter is given) with the tracking job and writes a compact result file\n" +
        "  (default FILE: DIR/tracking-results.json; default DIR: artifacts/benchmarks)";

    private const string CompareUsage =
        "usage: compare <baseline> <current> [--threshold 0.10] [--alloc-tolerance BYTES] [--alloc-tolerance-relative 0.01] [--regressed-filters FILE] [--confirming FIRST]\n" +
        "  <baseline>, <current>: a compact result file (track --out, benchmarks/baselines/*.json), a BenchmarkDotNet\n" +
        "  *-report-full.json / *-report-brief.json, or a folder of them. Exit code 0: no regression, 1: regression, 2: bad input.\n" +
        "  --regressed-filters FILE: write a BenchmarkDotNet --filter pattern per regressed benchmark method (for a confirming run).\n" +
        "  --confirming FIRST: <current> re-ran what regressed in FIRST; only a benchmark that regressed in both counts.";

    /// <summary>`track`: 0 when every benchmark ran, 1 when some failed, 2 on bad arguments or when nothing ran.</summary>
    public static int Track(string[] args)
    {
        string artifacts = "artifacts/benchmarks";
        string? output = null;
        var benchmarkArgs = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "--out" or "--artifacts" && i + 1 < args.Length)
            {
                if (args[i] == "--out")
                {
                    output = args[++i];
                }
                else
                {
                    artifacts = args[++i];
                }
            }
            else if (args[i] is "--out" or "--artifacts" or "--help" or "-h")
            {
                Console.Error.WriteLine(TrackUsage);
                return 2;
            }
            else
            {
                benchmarkArgs.Add(args[i]);
            }
        }

        if (!benchmarkArgs.Any(a => a is "--filter" or "-f"))
        {
            benchmarkArgs.AddRange(["--filter", "*"]); // otherwise BenchmarkDotNet asks on the console
        }

        output ??= Path.Combine(artifacts, "tracking-results.json");
        var started = DateTime.UtcNow.AddSeconds(-1);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(W1StepBenchmarks).Assembly)
            .Run([.. benchmarkArgs], TrackingConfig.Create(Path.GetFullPath(artifacts)))
            .ToArray();
        var reports = summaries
            .Select(s => s.ResultsDirectoryPath)
            .Distinct()
            .Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*-report-full.json"))
            .Where(f => File.GetLastWriteTimeUtc(f) >= started)
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (reports.Length == 0)
        {
            Console.Error.WriteLine($"track: no benchmark ran (filter: {string.Join(' ', benchmarkArgs)})");
            return 2;
        }

        var sets = reports.Select(ResultReader.Read).ToArray();
        var entries = sets.SelectMany(s => s.Benchmarks).ToArray();
        var machine = sets[0].Machine with { Date = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) };
        ResultWriter.Write(new ResultSet(output, machine, sets[0].Job, entries), output);
        int failed = summaries.Sum(s => s.Reports.Count(r => !r.Success)) + summaries.Count(s => s.HasCriticalValidationErrors);
        Console.WriteLine($"track: {entries.Length} benchmarks written to {output} (BenchmarkDotNet reports: {string.Join(", ", reports)})");
        if (failed > 0)
        {
            Console.Error.WriteLine($"track: {failed} benchmark(s) failed; they are missing from {output}");
            return 1;
        }

        return 0;
    }

    /// <summary>`merge --out FILE RESULT...`: the per-benchmark median run of several (a baseline); 0, or 2 on bad input.</summary>
    public static int Merge(string[] args)
    {
        int outAt = Array.IndexOf(args, "--out");
        if (outAt < 0 || outAt + 1 >= args.Length || args.Length < 3)
        {
            Console.Error.WriteLine("usage: merge --out FILE RESULT...\n  writes, per benchmark, the run with the median mean (allocations: the smallest)");
            return 2;
        }

        string output = args[outAt + 1];
        try
        {
            var runs = args.Where((_, i) => i != outAt && i != outAt + 1).Select(ResultReader.Read).ToArray();
            var merged = ResultMerger.Median(output, runs);
            ResultWriter.Write(merged, output);
            Console.WriteLine($"merge: {merged.Benchmarks.Count} benchmarks, median of {runs.Length} runs, written to {output}");
            return 0;
        }
        catch (ResultFormatException e)
        {
            Console.Error.WriteLine($"merge: {e.Message}");
            return 2;
        }
    }

    /// <summary>`compare`: 0 no regression, 1 regression, 2 bad input.</summary>
    public static int Compare(string[] args)
    {
        var paths = new List<string>();
        var options = new ComparisonOptions();
        string? filtersFile = null;
        string? firstRun = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threshold" when i + 1 < args.Length
                    && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double t) && t >= 0 && t < 1:
                    options = options with { Threshold = t };
                    i++;
                    break;
                case "--alloc-tolerance" when i + 1 < args.Length
                    && long.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long bytes) && bytes >= 0:
                    options = options with { AllocationToleranceBytes = bytes };
                    i++;
                    break;
                case "--alloc-tolerance-relative" when i + 1 < args.Length
                    && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double fraction) && fraction >= 0 && fraction < 1:
                    options = options with { AllocationToleranceRelative = fraction };
                    i++;
                    break;
                case "--regressed-filters" when i + 1 < args.Length:
                    filtersFile = args[++i];
                    break;
                case "--confirming" when i + 1 < args.Length:
                    firstRun = args[++i];
                    break;
                case var a when a.StartsWith('-'):
                    Console.Error.WriteLine($"compare: bad option '{a}'{(i + 1 < args.Length ? $" '{args[i + 1]}'" : "")} (--threshold and --alloc-tolerance-relative take a fraction in [0, 1), --alloc-tolerance a byte count)\n{CompareUsage}");
                    return 2;
                default:
                    paths.Add(args[i]);
                    break;
            }
        }

        if (paths.Count != 2)
        {
            Console.Error.WriteLine(CompareUsage);
            return 2;
        }

        try
        {
            var baseline = ResultReader.Read(paths[0]);
            if (firstRun is not null)
            {
                // Confirming: only what regressed in the first run can count now.
                var first = ResultComparer.Compare(baseline, ResultReader.Read(firstRun), options);
                options = options with { CountedKeys = ResultComparer.RegressedKeys(first) };
            }

            var report = ResultComparer.Compare(baseline, ResultReader.Read(paths[1]), options);
            Console.Write(ResultComparer.Format(report));
            if (filtersFile is not null)
            {
                File.WriteAllLines(filtersFile, ResultComparer.RegressedFilters(report));
            }

            return report.HasRegression ? 1 : 0;
        }
        catch (ResultFormatException e)
        {
            Console.Error.WriteLine($"compare: {e.Message}");
            return 2;
        }
    }
}
