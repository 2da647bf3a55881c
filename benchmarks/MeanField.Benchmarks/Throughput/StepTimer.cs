using System.Diagnostics;

namespace MeanField.Benchmarks.Throughput;

/// <summary>The commands' wall-clock timing (w1, dgm-speed, interaction), timed as the peers time theirs: untimed
/// warm-up calls, then each timed call on its own; the caller takes the median (and the minimum) of the sorted times.</summary>
internal static class StepTimer
{
    /// <summary>Seconds per call of <paramref name="action"/>, sorted ascending, after <paramref name="warmup"/> untimed calls.</summary>
    public static double[] Seconds(int warmup, int count, Action action)
    {
        for (int k = 0; k < warmup; k++)
        {
            action();
        }

        var times = new double[count];
        for (int k = 0; k < count; k++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[k] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Array.Sort(times);
        return times;
    }

    /// <summary>
    /// Seconds per call of <paramref name="first"/> and of <paramref name="second"/>, called in turn (after
    /// <paramref name="warmup"/> untimed calls of each), each sorted ascending: two variants timed through the same
    /// spells of a noisy host.
    /// </summary>
    public static (double[] First, double[] Second) SecondsInTurn(int warmup, int count, Action first, Action second)
    {
        for (int k = 0; k < warmup; k++)
        {
            first();
            second();
        }

        var a = new double[count];
        var b = new double[count];
        for (int k = 0; k < count; k++)
        {
            long start = Stopwatch.GetTimestamp();
            first();
            a[k] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            start = Stopwatch.GetTimestamp();
            second();
            b[k] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Array.Sort(a);
        Array.Sort(b);
        return (a, b);
    }

    /// <summary>The median of times sorted ascending (the upper one of an even count, as the peers take it).</summary>
    public static double Median(double[] sorted) => sorted[sorted.Length / 2];
}
