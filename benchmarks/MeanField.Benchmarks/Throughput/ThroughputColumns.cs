using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace MeanField.Benchmarks.Throughput;

/// <summary>
/// A benchmark whose operations have a known flop count, for <see cref="GflopsColumn"/> and <see cref="PercentOfPeakColumn"/>.
/// The columns create an instance, set its parameters from the benchmark case (no setup runs) and read these.
/// </summary>
public interface IFlopCounted
{
    /// <summary>The floating-point operations one invocation of a benchmark method is credited with, for the current parameters.</summary>
    double FlopsPerOperation { get; }

    /// <summary>The threads <paramref name="method"/> computes on, for the peak it is compared with.</summary>
    int ThreadsUsed(string method);
}

/// <summary>The throughput columns (steps/s, GFLOP/s, % of peak); add with <c>[Config(typeof(ThroughputConfig))]</c>.</summary>
public sealed class ThroughputConfig : ManualConfig
{
    /// <summary>Adds the three columns.</summary>
    public ThroughputConfig() => AddColumn(new StepsPerSecondColumn(), new GflopsColumn(), new PercentOfPeakColumn());
}

/// <summary>Shared parts of the throughput columns.</summary>
public abstract class ThroughputColumn : IColumn
{
    private static readonly ConcurrentDictionary<BenchmarkCase, (double Flops, int Threads)?> Counts = new();

    /// <inheritdoc/>
    public string Id => GetType().Name;

    /// <inheritdoc/>
    public abstract string ColumnName { get; }

    /// <inheritdoc/>
    public abstract string Legend { get; }

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public abstract int PriorityInCategory { get; }

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <summary>
    /// The flops and threads of a case (null when its type is not <see cref="IFlopCounted"/>): an instance of the
    /// benchmark type with the case's parameters set, no setup run.
    /// </summary>
    public static (double Flops, int Threads)? Count(BenchmarkCase benchmarkCase) => Counts.GetOrAdd(benchmarkCase, static c =>
    {
        var type = c.Descriptor.Type;
        if (!typeof(IFlopCounted).IsAssignableFrom(type))
        {
            return null;
        }

        var instance = (IFlopCounted)Activator.CreateInstance(type)!;
        foreach (var parameter in c.Parameters.Items.Where(p => !p.IsArgument))
        {
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
            if (type.GetProperty(parameter.Name, flags) is { } property)
            {
                property.SetValue(instance, parameter.Value);
            }
            else
            {
                type.GetField(parameter.Name, flags)?.SetValue(instance, parameter.Value);
            }
        }

        return (instance.FlopsPerOperation, instance.ThreadsUsed(c.Descriptor.WorkloadMethod.Name));
    });

    /// <summary>GFLOP/s from flops and a mean time in nanoseconds.</summary>
    public static double Gflops(double flops, double meanNanoseconds) => flops / meanNanoseconds;

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return mean is > 0 ? Value(summary, benchmarkCase, mean.Value) : "-";
    }

    /// <summary>The cell for a case with a mean time in nanoseconds.</summary>
    protected abstract string Value(Summary summary, BenchmarkCase benchmarkCase, double meanNanoseconds);

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <summary>Invariant formatting.</summary>
    protected static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>Operations (steps) per second: 1 / mean time.</summary>
public sealed class StepsPerSecondColumn : ThroughputColumn
{
    /// <inheritdoc/>
    public override string ColumnName => "steps/s";

    /// <inheritdoc/>
    public override string Legend => "operations (steps) per second: 1 / Mean";

    /// <inheritdoc/>
    public override int PriorityInCategory => 0;

    /// <inheritdoc/>
    protected override string Value(Summary summary, BenchmarkCase benchmarkCase, double meanNanoseconds)
    {
        double perSecond = 1e9 / meanNanoseconds;
        return Format(perSecond, perSecond >= 100 ? "N0" : "G3");
    }
}

/// <summary>GFLOP/s: <see cref="IFlopCounted.FlopsPerOperation"/> / mean time ("-" for a benchmark without a flop count).</summary>
public sealed class GflopsColumn : ThroughputColumn
{
    /// <inheritdoc/>
    public override string ColumnName => "GFLOP/s";

    /// <inheritdoc/>
    public override string Legend => "the flops an operation is credited with (the benchmark's FlopsPerOperation: W1 4·L·n·d, interaction 4·d per pair, peak 2 per FMA lane) / Mean, in 1e9 per second";

    /// <inheritdoc/>
    public override int PriorityInCategory => 1;

    /// <inheritdoc/>
    protected override string Value(Summary summary, BenchmarkCase benchmarkCase, double meanNanoseconds)
        => Count(benchmarkCase) is { } count ? Format(Gflops(count.Flops, meanNanoseconds), "F2") : "-";
}

/// <summary>
/// GFLOP/s as a percentage of the double-precision peak on as many threads as the benchmark uses, measured on the same
/// machine in the same run: the <see cref="PeakFlopsBenchmarks"/> row with that thread count when the summary holds one
/// (run with <c>--join</c>; its fastest iteration), else <see cref="PeakFlops.MeasureGflops"/> in the host process (best of
/// 7 runs), once per thread count, when the column is first rendered.
/// </summary>
public sealed class PercentOfPeakColumn : ThroughputColumn
{
    /// <inheritdoc/>
    public override string ColumnName => "% of peak";

    /// <inheritdoc/>
    public override string Legend => "GFLOP/s / the FP64 FMA peak on the benchmark's thread count, measured in this run (the fastest iteration of PeakFlopsBenchmarks' row when in the summary, else the best of 7 runs in the host process)";

    /// <inheritdoc/>
    public override int PriorityInCategory => 2;

    /// <summary>The peak GFLOP/s on <paramref name="threads"/> threads for this summary.</summary>
    public static double Peak(Summary summary, int threads)
    {
        foreach (var report in summary.Reports)
        {
            // The peak row's fastest iteration: a peak is the best the machine does, and on a shared machine a burst of load
            // elsewhere lowers a mean (observed: the 2-thread mean below the 1-thread one while the other core was busy).
            if (report.BenchmarkCase.Descriptor.Type == typeof(PeakFlopsBenchmarks)
                && report.ResultStatistics?.Min is double fastest && fastest > 0
                && Count(report.BenchmarkCase) is { } count
                && count.Threads == threads)
            {
                return Gflops(count.Flops, fastest);
            }
        }

        return PeakFlops.MeasureGflops(threads);
    }

    /// <inheritdoc/>
    protected override string Value(Summary summary, BenchmarkCase benchmarkCase, double meanNanoseconds)
        => Count(benchmarkCase) is { } count
            ? Format(100 * Gflops(count.Flops, meanNanoseconds) / Peak(summary, count.Threads), "F1") + "%"
            : "-";
}
