namespace MeanField.Benchmarks.Tracking;

/// <summary>
/// One set of benchmark results (a baseline or a current run): where it was measured, with which job,
/// and one entry per benchmark case. Read by <see cref="ResultReader"/>, written by <see cref="ResultWriter"/>.
/// </summary>
/// <param name="Source">The file or folder it was read from (for messages); empty for sets built in memory.</param>
/// <param name="Machine">Where it was measured.</param>
/// <param name="Job">BenchmarkDotNet's description of the job, e.g. "Tracking(IterationCount=10, ...)"; empty when unknown.</param>
/// <param name="Benchmarks">The benchmark cases, each once.</param>
internal sealed record ResultSet(string Source, MachineInfo Machine, string Job, IReadOnlyList<BenchmarkEntry> Benchmarks);

/// <summary>The machine and runtime a result set was measured on (BenchmarkDotNet's host environment).</summary>
/// <param name="Cpu">Processor name, e.g. "AMD EPYC".</param>
/// <param name="PhysicalCores">Physical cores.</param>
/// <param name="LogicalCores">Logical cores.</param>
/// <param name="Architecture">e.g. "X64".</param>
/// <param name="HardwareIntrinsics">The instruction sets the JIT used (AVX2, AVX512 ...); tells CPUs with the same name apart.</param>
/// <param name="Os">Operating system.</param>
/// <param name="Runtime">.NET runtime version.</param>
/// <param name="BenchmarkDotNet">BenchmarkDotNet version.</param>
/// <param name="Date">When the results were measured, ISO 8601 (UTC) where known.</param>
internal sealed record MachineInfo(
    string Cpu,
    int PhysicalCores,
    int LogicalCores,
    string Architecture,
    string HardwareIntrinsics,
    string Os,
    string Runtime,
    string BenchmarkDotNet,
    string Date)
{
    /// <summary>An unknown machine (every field empty).</summary>
    public static MachineInfo Unknown { get; } = new("", 0, 0, "", "", "", "", "", "");

    /// <summary>
    /// The fields that make timings incomparable when they differ (CPU, cores, architecture, instruction
    /// sets, runtime), as "field: baseline vs current" lines; empty when the machines match.
    /// </summary>
    public IReadOnlyList<string> DifferencesFrom(MachineInfo other)
    {
        var differences = new List<string>();
        void Check(string field, string mine, string theirs)
        {
            if (!string.Equals(mine, theirs, StringComparison.Ordinal))
            {
                differences.Add($"{field}: '{mine}' vs '{theirs}'");
            }
        }

        Check("CPU", Cpu, other.Cpu);
        Check("cores (physical/logical)", $"{PhysicalCores}/{LogicalCores}", $"{other.PhysicalCores}/{other.LogicalCores}");
        Check("architecture", Architecture, other.Architecture);
        Check("hardware intrinsics", HardwareIntrinsics, other.HardwareIntrinsics);
        Check("runtime", Runtime, other.Runtime);
        return differences;
    }
}

/// <summary>One benchmark case's result. Times in nanoseconds per operation.</summary>
/// <param name="Name">Type and method, e.g. "W1StepBenchmarks.Step".</param>
/// <param name="Parameters">BenchmarkDotNet's parameter string, e.g. "Shape=4096,64,4096&amp;Activation=tanh&amp;Threads=2"; empty when none.</param>
/// <param name="MeanNs">Mean time per operation.</param>
/// <param name="ErrorNs">Half the 99.9% confidence interval of the mean (BenchmarkDotNet's "Error"); 0 when unknown.</param>
/// <param name="StdDevNs">Standard deviation of the measurements.</param>
/// <param name="MedianNs">Median time per operation.</param>
/// <param name="Iterations">Number of measurements behind the statistics.</param>
/// <param name="AllocatedBytes">Managed bytes allocated per operation; null when not measured (no memory diagnoser).</param>
internal sealed record BenchmarkEntry(
    string Name,
    string Parameters,
    double MeanNs,
    double ErrorNs,
    double StdDevNs,
    double MedianNs,
    int Iterations,
    long? AllocatedBytes)
{
    /// <summary>What matches a baseline entry with a current one: name and parameters.</summary>
    public string Key => Parameters.Length == 0 ? Name : $"{Name}({Parameters})";
}

/// <summary>A result file that cannot be read; the message names the file and what is wrong.</summary>
internal sealed class ResultFormatException(string message, Exception? inner = null) : Exception(message, inner);
