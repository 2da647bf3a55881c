using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace MeanField.Benchmarks;

/// <summary>
/// The configuration of `-- track`: one short, fixed job for regression tracking (a few minutes for the
/// whole suite on 2 cores), the memory diagnoser on every benchmark, and BenchmarkDotNet's full JSON
/// report (what <see cref="Tracking.ResultReader"/> reads). Everything that shapes the numbers is pinned
/// here rather than left to BenchmarkDotNet's adaptive defaults, so that two runs measure the same way.
/// </summary>
internal static class TrackingConfig
{
    /// <summary>The job's id; it is recorded in the result files.</summary>
    public const string JobId = "Tracking";

    public static IConfig Create(string artifactsPath) => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithId(JobId)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithIterationTime(TimeInterval.FromMilliseconds(250)))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddExporter(JsonExporter.Full)
        .WithArtifactsPath(artifactsPath);
}
