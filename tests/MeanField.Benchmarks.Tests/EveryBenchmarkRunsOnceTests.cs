using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Validators;

namespace MeanField.Benchmarks.Tests;

/// <summary>
/// The CI dry run of the suite, so that no benchmark rots: every benchmark type of the suite's assembly passes
/// BenchmarkDotNet's own validators, and every one of its cases (method × arguments × parameters) is invoked once,
/// in-process, with its iteration setup and cleanup, after the global setup of its parameter set (once per set), on a tiny parameter set (<see cref="Tiny"/>: the
/// parameters named there replace the declared values, the others take each declared value). A new benchmark type
/// must be given an entry. Times nothing.
/// </summary>
public sealed class EveryBenchmarkRunsOnceTests
{
    /// <summary>Per benchmark type, the tiny settings: [Params] properties overridden (one value) and other properties set.</summary>
    private static readonly Dictionary<Type, Dictionary<string, object>> Tiny = new()
    {
        [typeof(W1StepBenchmarks)] = new() { ["Shape"] = "40,4,24" },
        [typeof(W1ActivationBenchmarks)] = new() { ["Shape"] = "40,4,24" },
        [typeof(W1PeersBenchmarks)] = new() { ["Shape"] = "40,4,24" },
        [typeof(W1PeersLargeBenchmarks)] = new() { ["Shape"] = "40,4,24" },
        [typeof(InteractionBenchmarks)] = new() { ["N"] = 130, ["D"] = 4, ["BatchSize"] = 16 },
        [typeof(InteractionEnergyBenchmarks)] = new() { ["N"] = 130, ["D"] = 4 },
        [typeof(OperatorBenchmarks)] = [],
        [typeof(ElementwiseBenchmarks)] = [],
        [typeof(GeneratorBenchmarks)] = new() { ["WarmUpTime"] = TimeSpan.Zero },
        [typeof(PeakFlopsBenchmarks)] = new() { ["IterationsPerThread"] = 1000L },
        [typeof(TileProductBenchmarks)] = new() { ["Repeats"] = 1 },
        [typeof(MfgBenchmarks)] = new() { ["N"] = 32 },
        [typeof(MfgBenchmarks2D)] = new() { ["N"] = 8 },
        [typeof(DgmBenchmarks)] = new() { ["Shape"] = "8,2,70" },
        [typeof(DgmVariantsBenchmarks)] = new() { ["Shape"] = "8,2,70" },
    };

    private static Type[] BenchmarkTypes { get; } = [.. typeof(W1StepBenchmarks).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() != null))
        .OrderBy(t => t.Name, StringComparer.Ordinal)];

    public static TheoryData<string> Types => [.. BenchmarkTypes.Select(t => t.Name)];

    [Fact]
    public void EveryBenchmarkTypeHasATinySetting()
        => Assert.Equal(Tiny.Keys.Select(t => t.Name).Order(StringComparer.Ordinal), BenchmarkTypes.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Types))]
    public void EveryCaseRunsOnce(string typeName)
    {
        var type = BenchmarkTypes.Single(t => t.Name == typeName);
        var tiny = Tiny[type];
        var run = BenchmarkConverter.TypeToBenchmarks(type, DefaultConfig.Instance);
        Assert.NotEmpty(run.BenchmarksCases);
        var errors = DefaultConfig.Instance.GetValidators()
            .SelectMany(v => v.Validate(new ValidationParameters(run.BenchmarksCases, run.Config)))
            .Where(e => e.IsCritical)
            .Select(e => e.Message)
            .ToList();
        Assert.Empty(errors);

        // The cases with the tiny parameters, each (method, arguments, parameters) once.
        var cases = run.BenchmarksCases
            .Select(c => (Case: c, Parameters: Parameters(c, tiny)))
            .DistinctBy(c => Key(c.Case, c.Parameters))
            .ToList();
        int invoked = 0;

        // One instance and one global setup per parameter set (and set of global setups that apply), as BenchmarkDotNet
        // does per case; the cases of a group then run on it in turn.
        foreach (var group in cases.GroupBy(c => Key(null, c.Parameters) + "|" + string.Join(",", Applicable<GlobalSetupAttribute>(type, c.Case.Descriptor.WorkloadMethod.Name, a => a.Targets).Select(m => m.Name))))
        {
            var parameters = group.First().Parameters;
            object instance = Activator.CreateInstance(type)!;
            foreach (var (name, value) in parameters.Concat(tiny.Where(t => !parameters.ContainsKey(t.Key))))
            {
                var property = type.GetProperty(name) ?? throw new InvalidOperationException($"{type.Name} has no property {name}");
                property.SetValue(instance, value);
            }

            string first = group.First().Case.Descriptor.WorkloadMethod.Name;
            Invoke<GlobalSetupAttribute>(type, instance, first, a => a.Targets);
            try
            {
                foreach (var (benchmarkCase, _) in group)
                {
                    var method = benchmarkCase.Descriptor.WorkloadMethod;
                    Invoke<IterationSetupAttribute>(type, instance, method.Name, a => a.Targets);
                    object?[] arguments = [.. benchmarkCase.Parameters.Items.Where(p => p.IsArgument).Select(p => p.Value)];
                    object? result = method.Invoke(instance, arguments);
                    if (result is double value)
                    {
                        Assert.True(double.IsFinite(value), $"{benchmarkCase.DisplayInfo}: {value}");
                    }

                    Invoke<IterationCleanupAttribute>(type, instance, method.Name, a => a.Targets);
                    invoked++;
                }
            }
            finally
            {
                Invoke<GlobalCleanupAttribute>(type, instance, first, a => a.Targets);
            }
        }

        Assert.Equal(cases.Count, invoked);
    }

    /// <summary>The case's [Params] values, the tiny overrides replacing theirs.</summary>
    private static Dictionary<string, object> Parameters(BenchmarkCase benchmarkCase, Dictionary<string, object> tiny)
        => benchmarkCase.Parameters.Items.Where(p => !p.IsArgument).ToDictionary(p => p.Name, p => tiny.TryGetValue(p.Name, out var value) ? value : p.Value);

    private static string Key(BenchmarkCase? benchmarkCase, Dictionary<string, object> parameters)
        => (benchmarkCase is null ? "" : benchmarkCase.Descriptor.WorkloadMethod.Name + "(" + string.Join(",", benchmarkCase.Parameters.Items.Where(p => p.IsArgument).Select(p => p.Value)) + ")")
            + string.Join(";", parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    /// <summary>Invokes the type's methods marked with <typeparamref name="TAttribute"/> that apply to <paramref name="target"/>.</summary>
    private static void Invoke<TAttribute>(Type type, object instance, string target, Func<TAttribute, string[]> targets)
        where TAttribute : Attribute
    {
        foreach (var method in Applicable(type, target, targets))
        {
            method.Invoke(instance, null);
        }
    }

    /// <summary>The type's methods marked with <typeparamref name="TAttribute"/> that apply to <paramref name="target"/> (no targets: all).</summary>
    private static IEnumerable<MethodInfo> Applicable<TAttribute>(Type type, string target, Func<TAttribute, string[]> targets)
        where TAttribute : Attribute
        => type.GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is { } attribute && (targets(attribute) is not { Length: > 0 } names || names.Contains(target)));
}
