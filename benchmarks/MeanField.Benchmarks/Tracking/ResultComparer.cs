using System.Globalization;
using System.Text;

namespace MeanField.Benchmarks.Tracking;

/// <summary>How <see cref="ResultComparer"/> judges a difference.</summary>
/// <param name="Threshold">Relative change of the mean that counts (0.10: 10% slower or faster).</param>
/// <param name="AllocationToleranceBytes">Growth of allocated bytes per operation that is still not a regression
/// (0: any growth is one). Multi-threaded benchmarks can vary by a few bytes per operation from run to run.</param>
/// <param name="AllocationToleranceRelative">Growth, as a fraction of the baseline's bytes, that is still not a
/// regression (default 0.01). Growth must exceed both tolerances to count, so a benchmark that allocated nothing
/// regresses on its first byte whatever this is, while one that allocates a megabyte through the compiler (whose
/// caches make it vary by ~0.1 % from run to run) does not flag that jitter.</param>
/// <param name="CountedKeys">When set, only these benchmarks (by key) can count as a regression; the others are still
/// judged and shown. Used to confirm a run: a benchmark fails only if it regressed in the first run and again in the
/// confirming one, since on a shared machine a slow spell hits whichever benchmarks happen to run during it.</param>
internal sealed record ComparisonOptions(
    double Threshold = 0.10,
    long AllocationToleranceBytes = 0,
    double AllocationToleranceRelative = 0.01,
    IReadOnlySet<string>? CountedKeys = null);

/// <summary>The verdict on a benchmark's time.</summary>
internal enum TimeVerdict
{
    /// <summary>Within the threshold.</summary>
    Same,

    /// <summary>Beyond the threshold but within the combined error of the two runs: not a regression.</summary>
    Noisy,

    /// <summary>Faster beyond the threshold and beyond the combined error.</summary>
    Faster,

    /// <summary>Slower beyond the threshold and beyond the combined error: a regression.</summary>
    Slower,
}

/// <summary>One benchmark present on both sides.</summary>
internal sealed record ComparisonRow(BenchmarkEntry Baseline, BenchmarkEntry Current, double Ratio, double CombinedErrorNs, TimeVerdict Time, bool AllocationRegressed, bool Counted = true)
{
    public string Key => Baseline.Key;

    /// <summary>Slower or allocating more, whether or not it counts.</summary>
    public bool Worse => Time == TimeVerdict.Slower || AllocationRegressed;

    /// <summary>Worse, and counted (<see cref="ComparisonOptions.CountedKeys"/>): a regression.</summary>
    public bool Regressed => Worse && Counted;
}

/// <summary>The comparison of two result sets.</summary>
internal sealed record ComparisonReport(
    ResultSet Baseline,
    ResultSet Current,
    ComparisonOptions Options,
    IReadOnlyList<ComparisonRow> Rows,
    IReadOnlyList<BenchmarkEntry> MissingInCurrent,
    IReadOnlyList<BenchmarkEntry> NewInCurrent,
    IReadOnlyList<string> MachineDifferences,
    bool JobDiffers)
{
    /// <summary>A measured peak this much faster or slower than the baseline's is warned about (0.2: 20 %).</summary>
    public const double PeakTolerance = 0.2;

    /// <summary>Whether any benchmark got slower or allocates more: `compare` exits with 1.</summary>
    public bool HasRegression => Rows.Any(r => r.Regressed);

    /// <summary>
    /// Current time over baseline time of the suite's own FP64 peak (<c>PeakFlopsBenchmarks</c>, the median over its
    /// rows), or null when either side lacks it: above 1 the host computes slower than the baseline's did, whatever the
    /// code. The VMs of one ISA differ by 2× here (specs/performance.md §6), which the machine fields do not show.
    /// </summary>
    public double? PeakTimeRatio
    {
        get
        {
            double[] ratios = [.. Rows.Where(r => r.Baseline.Name.StartsWith("PeakFlopsBenchmarks.", StringComparison.Ordinal)).Select(r => r.Ratio).Order()];
            return ratios.Length == 0 ? null : ratios[ratios.Length / 2];
        }
    }
}

/// <summary>
/// Matches two result sets by benchmark name and parameters and judges each pair. Slower is a regression
/// only when the current mean exceeds the baseline's by more than the threshold (relative) and by more than
/// the combined error of the two means (√(e_b² + e_c²), each e BenchmarkDotNet's half 99.9% confidence
/// interval), so noise on a shared machine does not fail a run; faster likewise. Allocated bytes per
/// operation that grew (beyond <see cref="ComparisonOptions.AllocationToleranceBytes"/>) are a regression too.
/// </summary>
internal static class ResultComparer
{
    public static ComparisonReport Compare(ResultSet baseline, ResultSet current, ComparisonOptions options)
    {
        if (!(options.Threshold >= 0 && options.Threshold < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "the threshold must be in [0, 1)");
        }

        var currentByKey = current.Benchmarks.ToDictionary(b => b.Key, StringComparer.Ordinal);
        var baselineKeys = baseline.Benchmarks.Select(b => b.Key).ToHashSet(StringComparer.Ordinal);
        var rows = new List<ComparisonRow>();
        var missing = new List<BenchmarkEntry>();
        foreach (var b in baseline.Benchmarks.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            if (currentByKey.TryGetValue(b.Key, out var c))
            {
                rows.Add(Judge(b, c, options));
            }
            else
            {
                missing.Add(b);
            }
        }

        var added = current.Benchmarks.Where(c => !baselineKeys.Contains(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal).ToArray();
        return new ComparisonReport(
            baseline, current, options, rows, missing, added,
            baseline.Machine.DifferencesFrom(current.Machine),
            baseline.Job.Length > 0 && current.Job.Length > 0 && baseline.Job != current.Job);
    }

    public static ComparisonRow Judge(BenchmarkEntry baseline, BenchmarkEntry current, ComparisonOptions options)
    {
        double ratio = baseline.MeanNs > 0 ? current.MeanNs / baseline.MeanNs : current.MeanNs > 0 ? double.PositiveInfinity : 1;
        double combined = Math.Sqrt(Square(ErrorOf(baseline)) + Square(ErrorOf(current)));
        double difference = current.MeanNs - baseline.MeanNs;
        TimeVerdict time;
        if (ratio > 1 + options.Threshold)
        {
            time = difference > combined ? TimeVerdict.Slower : TimeVerdict.Noisy;
        }
        else if (ratio < 1 - options.Threshold)
        {
            time = -difference > combined ? TimeVerdict.Faster : TimeVerdict.Noisy;
        }
        else
        {
            time = TimeVerdict.Same;
        }

        bool allocation = baseline.AllocatedBytes is long before && current.AllocatedBytes is long after
            && after - before > options.AllocationToleranceBytes
            && after - before > options.AllocationToleranceRelative * before;
        bool counted = options.CountedKeys is null || options.CountedKeys.Contains(baseline.Key);
        return new ComparisonRow(baseline, current, ratio, combined, time, allocation, counted);
    }

    /// <summary>The keys of the benchmarks that regressed in <paramref name="report"/>.</summary>
    public static IReadOnlySet<string> RegressedKeys(ComparisonReport report) =>
        report.Rows.Where(r => r.Regressed).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// BenchmarkDotNet --filter patterns ("*W1StepBenchmarks.Step") that select the methods of the regressed
    /// benchmarks, every parameter value, to run them again and see whether the regression reproduces.
    /// </summary>
    public static IReadOnlyList<string> RegressedFilters(ComparisonReport report) =>
        report.Rows.Where(r => r.Regressed).Select(r => "*" + r.Current.Name).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The error of a mean; unknown (NaN, from fewer than 2 measurements) counts as 0.</summary>
    private static double ErrorOf(BenchmarkEntry entry) => double.IsFinite(entry.ErrorNs) && entry.ErrorNs > 0 ? entry.ErrorNs : 0;

    private static double Square(double x) => x * x;

    /// <summary>The report as text: warnings, one table row per benchmark, missing and new benchmarks, a summary line.</summary>
    public static string Format(ComparisonReport report)
    {
        var text = new StringBuilder();
        if (report.MachineDifferences.Count > 0)
        {
            text.AppendLine("WARNING: the results come from different machines or runtimes; timings are only comparable on the same machine type.");
            foreach (var difference in report.MachineDifferences)
            {
                text.AppendLine($"  {difference}");
            }
        }

        if (report.PeakTimeRatio is double peak && Math.Abs(peak - 1) > ComparisonReport.PeakTolerance)
        {
            text.AppendLine(Invariant($"WARNING: the machine's measured FP64 peak differs from the baseline's: PeakFlopsBenchmarks takes {peak:F2}× the baseline's time, so every timing is scaled by about that much whatever the code; compare on a host of the baseline's peak, or make a baseline for this one."));
        }

        if (report.JobDiffers)
        {
            text.AppendLine($"WARNING: the results were measured with different jobs:\n  baseline: {report.Baseline.Job}\n  current:  {report.Current.Job}");
        }

        text.AppendLine($"baseline: {report.Baseline.Source} ({Describe(report.Baseline.Machine)})");
        text.AppendLine($"current:  {report.Current.Source} ({Describe(report.Current.Machine)})");
        text.AppendLine(Invariant($"threshold: {report.Options.Threshold:P0} beyond the combined 99.9% error; allocation tolerance: {report.Options.AllocationToleranceBytes} B/op and {report.Options.AllocationToleranceRelative:P1}"));
        text.AppendLine();

        var table = new List<string[]> { new[] { "benchmark", "baseline", "current", "ratio", "±error", "allocated (B/op)", "verdict" } };
        foreach (var row in report.Rows)
        {
            string allocated = row.Baseline.AllocatedBytes is null && row.Current.AllocatedBytes is null
                ? "-"
                : row.Baseline.AllocatedBytes == row.Current.AllocatedBytes
                    ? Invariant($"{row.Current.AllocatedBytes}")
                    : Invariant($"{Bytes(row.Baseline.AllocatedBytes)} -> {Bytes(row.Current.AllocatedBytes)}");
            // A worse benchmark that does not count (a confirming run) is written in lower case, with the reason.
            bool loud = row.Counted;
            string verdict = row.Time switch
            {
                TimeVerdict.Slower => loud ? "SLOWER" : "slower",
                TimeVerdict.Faster => "faster",
                TimeVerdict.Noisy => "same (noisy)",
                _ => "same",
            };
            if (row.AllocationRegressed)
            {
                verdict += loud ? ", ALLOCATES MORE" : ", allocates more";
            }

            if (row.Worse && !row.Counted)
            {
                verdict += " (not counted: fine in the first run)";
            }

            table.Add([
                Display(row.Baseline), Time(row.Baseline.MeanNs), Time(row.Current.MeanNs), Invariant($"{row.Ratio:F2}"),
                Invariant($"{row.CombinedErrorNs / Math.Max(row.Baseline.MeanNs, double.Epsilon):P0}"), allocated, verdict]);
        }

        var widths = Enumerable.Range(0, table[0].Length).Select(i => table.Max(r => r[i].Length)).ToArray();
        for (int r = 0; r < table.Count; r++)
        {
            text.AppendLine(string.Join("  ", table[r].Select((cell, i) => i is 0 or 6 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd());
            if (r == 0)
            {
                text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }

        foreach (var missing in report.MissingInCurrent)
        {
            text.AppendLine($"missing in current (only in the baseline): {Display(missing)}");
        }

        foreach (var added in report.NewInCurrent)
        {
            text.AppendLine($"new in current (not in the baseline): {Display(added)}");
        }

        int slower = report.Rows.Count(r => r.Counted && r.Time == TimeVerdict.Slower);
        int allocating = report.Rows.Count(r => r.Counted && r.AllocationRegressed);
        int faster = report.Rows.Count(r => r.Time == TimeVerdict.Faster);
        text.AppendLine();
        text.AppendLine(report.HasRegression
            ? $"REGRESSION: {slower} slower, {allocating} allocating more, of {report.Rows.Count} compared ({faster} faster)."
            : $"OK: no regression in {report.Rows.Count} compared ({faster} faster, {report.MissingInCurrent.Count} missing, {report.NewInCurrent.Count} new).");
        return text.ToString();
    }

    private static string Display(BenchmarkEntry entry) =>
        entry.Parameters.Length == 0 ? entry.Name : $"{entry.Name} [{entry.Parameters.Replace("&", ", ", StringComparison.Ordinal)}]";

    private static string Describe(MachineInfo machine) =>
        machine == MachineInfo.Unknown
            ? "machine unknown"
            : $"{machine.Cpu}, {machine.PhysicalCores}/{machine.LogicalCores} cores, {machine.Runtime}{(machine.Date.Length > 0 ? ", " + machine.Date : "")}";

    private static string Bytes(long? bytes) => bytes is long b ? b.ToString(CultureInfo.InvariantCulture) : "?";

    /// <summary>A time in ns, µs, ms or s with 3–4 significant digits.</summary>
    public static string Time(double ns) => ns switch
    {
        < 1e3 => Invariant($"{ns:F2} ns"),
        < 1e6 => Invariant($"{ns / 1e3:F2} us"),
        < 1e9 => Invariant($"{ns / 1e6:F2} ms"),
        _ => Invariant($"{ns / 1e9:F3} s"),
    };

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
