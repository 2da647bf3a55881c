namespace MeanField.Benchmarks.Tracking;

/// <summary>
/// Makes a baseline out of several runs: per benchmark, the run whose mean is the median (the lower middle
/// one for an even count), so that one run slowed by load on a shared machine does not become the reference.
/// Allocated bytes are the smallest seen (extra bytes come from thread-pool activity under load, never fewer).
/// </summary>
internal static class ResultMerger
{
    public static ResultSet Median(string source, IReadOnlyList<ResultSet> runs)
    {
        if (runs.Count == 0)
        {
            throw new ArgumentException("no runs to merge", nameof(runs));
        }

        var jobs = runs.Select(r => r.Job).Distinct(StringComparer.Ordinal).ToArray();
        if (jobs.Length > 1)
        {
            throw new ResultFormatException($"{string.Join(", ", runs.Select(r => r.Source))}: measured with different jobs ({string.Join(" / ", jobs)}); merge runs of one job");
        }

        var entries = runs
            .SelectMany(r => r.Benchmarks)
            .GroupBy(b => b.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var sorted = g.OrderBy(b => b.MeanNs).ToArray();
                var median = sorted[(sorted.Length - 1) / 2];
                var allocations = g.Where(b => b.AllocatedBytes is not null).Select(b => b.AllocatedBytes!.Value).ToArray();
                return median with { AllocatedBytes = allocations.Length > 0 ? allocations.Min() : null };
            })
            .ToArray();
        var latest = runs.MaxBy(r => r.Machine.Date, StringComparer.Ordinal)!;
        return new ResultSet(source, latest.Machine, jobs[0], entries);
    }
}
