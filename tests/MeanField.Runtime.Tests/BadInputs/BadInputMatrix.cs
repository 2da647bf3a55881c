using System.Globalization;
using MeanField.Runtime.Tests.Concurrency;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.BadInputs;

/// <summary>How a row's call is made.</summary>
internal enum CallMode
{
    /// <summary>Directly, on a fresh <see cref="BadInputWorld"/> (after the row's arrange step, e.g. a Dispose).</summary>
    Direct,

    /// <summary>From inside a running evaluator call, on the same thread (a re-entrant callback).</summary>
    InsideEvaluatorCall,

    /// <summary>From another thread while an evaluator call is running.</summary>
    OtherThreadDuringEvaluatorCall,

    /// <summary>From the flow's progress callback, on the same thread, while a step is running.</summary>
    InsideFlowCall,

    /// <summary>From another thread while a flow step is running.</summary>
    OtherThreadDuringFlowCall,

    /// <summary>From inside a running interaction-evaluator call, on the same thread (a re-entrant callback).</summary>
    InsideInteractionCall,

    /// <summary>From another thread while an interaction-evaluator call is running.</summary>
    OtherThreadDuringInteractionCall,
}

/// <summary>
/// One row of the bad-input matrix: a public entry point (<see cref="Member"/>, the key the coverage check
/// enumerates by reflection), a bad input, and what must happen: the exception type, its ParamName (or, for
/// <see cref="ObjectDisposedException"/>, its ObjectName), text the message must contain (the value, the index), and
/// — checked for every row — that the observable state is the same after the rejected call as before it.
/// </summary>
/// <param name="Member">The member's key, e.g. <c>NetworkEvaluator`1.Loss(ParticleSet, SampleSet)</c>.</param>
/// <param name="Case">What is wrong, e.g. <c>particles[7] is NaN</c>.</param>
/// <param name="Exception">The exact exception type; null when the call must succeed and change nothing observable (Dispose twice).</param>
/// <param name="ParamName">The expected ParamName (ArgumentException) or ObjectName (ObjectDisposedException); null to expect none.</param>
/// <param name="Message">Substrings the message must contain.</param>
/// <param name="Act">The call.</param>
internal sealed record BadInputRow(string Member, string Case, Type? Exception, string? ParamName, string[] Message, Action<BadInputWorld> Act)
{
    /// <summary>Runs before the state is recorded (e.g. disposes the evaluator).</summary>
    public Action<BadInputWorld>? Arrange { get; init; }

    public CallMode Mode { get; init; } = CallMode.Direct;

    public string Name => $"{Member} | {Case}";

    public override string ToString() => Name;
}

/// <summary>The objects a row acts on; fresh for every row.</summary>
internal sealed class BadInputWorld : IDisposable
{
    public const int N = 10;
    public const int D = 3;
    public const int L = 20;

    /// <summary>The flat index of the bad value placed in <see cref="NaNParticles"/> etc.: after the 2 × 10 scalars, vector 'w' of particle 1, component 1.</summary>
    public const int BadIndex = (2 * N) + 4;

    /// <summary>The flat index of the bad value placed in <see cref="NaNInteractionParticles"/>: after the 10 scalars, vector 'z' of particle 1, component 1.</summary>
    public const int InteractionBadIndex = N + 4;

    private readonly GradientFlow<GatedTanh> _flow;
    private readonly NetworkEvaluator<GatedTanh> _evaluator;
    private readonly InteractionEvaluator<GaussianKernel> _interactions;

    public BadInputWorld()
    {
        Particles = GatedTanh.Particles(N, D, 1);
        Probes = GatedTanh.Particles(4, D, 2);
        Velocity = ParticleSet.Create<GatedTanh>(N, D);
        Samples = TestData.Samples(L, D, 3);
        OtherDimensionSamples = TestData.Samples(L, D + 1, 3);
        OtherModelParticles = TestData.TanhParticles(N, D, 1);
        NaNParticles = WithValue(Particles, BadIndex, double.NaN);
        InfiniteParticles = WithValue(Particles, BadIndex, double.PositiveInfinity);
        NegativeInfiniteParticles = WithValue(Particles, BadIndex, double.NegativeInfinity);
        NaNProbes = WithValue(Probes, (2 * 4) + 4, double.NaN);
        RawInputs = Samples.Inputs.ToArray();
        Buffer = Filled(64, 42.0);
        Buffer2 = Filled(64, 43.0);
        Buffer3 = Filled(64, 44.0);
        Options = new GradientFlowOptions { StepSize = 0.1, MaxSteps = 2, ThreadCount = 1 };
        _evaluator = new NetworkEvaluator<GatedTanh>(1);
        Teacher = GaussianKernel.Particles(3, D, 7);
        InteractionParticles = GaussianKernel.Particles(N, D, 8);
        InteractionProbes = GaussianKernel.Particles(4, D, 9);
        InteractionGradient = ParticleSet.Create(GaussianKernel.LayoutInstance, N, D);
        NaNInteractionParticles = WithValue(InteractionParticles, InteractionBadIndex, double.NaN);
        InfiniteInteractionParticles = WithValue(InteractionParticles, InteractionBadIndex, double.PositiveInfinity);
        NegativeWeightParticles = InteractionParticles.Clone();
        NegativeWeightParticles.Weights[3] = -0.5;
        NaNWeightParticles = InteractionParticles.Clone();
        NaNWeightParticles.Weights[2] = double.NaN;
        _interactions = new InteractionEvaluator<GaussianKernel>(new InteractionEvaluatorOptions { ThreadCount = 1, Reference = Teacher });
        _flow = new GradientFlow<GatedTanh>(
            GatedTanh.Particles(N, D, 4),
            Samples,
            Options with { Progress = new MeanField.Samples.SynchronousProgress<GradientFlowProgress>(_ => RunProgress()) });
    }

    public ParticleSet Particles { get; }

    public ParticleSet Probes { get; }

    public ParticleSet Velocity { get; }

    public SampleSet Samples { get; }

    public SampleSet OtherDimensionSamples { get; }

    public ParticleSet OtherModelParticles { get; }

    public ParticleSet NaNParticles { get; }

    public ParticleSet InfiniteParticles { get; }

    public ParticleSet NegativeInfiniteParticles { get; }

    public ParticleSet NaNProbes { get; }

    /// <summary>The samples' inputs as a plain L × d array (for the raw-input overload).</summary>
    public double[] RawInputs { get; }

    /// <summary>Destinations (filled with 42, 43, 44: a rejected call must leave them so).</summary>
    public double[] Buffer { get; }

    public double[] Buffer2 { get; }

    public double[] Buffer3 { get; }

    public GradientFlowOptions Options { get; }

    /// <summary>A reference measure ν for the interaction evaluator (3 points of <see cref="GaussianKernel"/>).</summary>
    public ParticleSet Teacher { get; }

    public ParticleSet InteractionParticles { get; }

    public ParticleSet InteractionProbes { get; }

    public ParticleSet InteractionGradient { get; }

    public ParticleSet NaNInteractionParticles { get; }

    public ParticleSet InfiniteInteractionParticles { get; }

    /// <summary>Weight 3 is −0.5.</summary>
    public ParticleSet NegativeWeightParticles { get; }

    /// <summary>Weight 2 is NaN.</summary>
    public ParticleSet NaNWeightParticles { get; }

    /// <summary>One thread, reference <see cref="Teacher"/>: every tile runs on the calling thread, where <see cref="GaussianKernel.Hook"/> fires.</summary>
    public InteractionEvaluator<GaussianKernel> Interactions => _interactions;

    /// <summary>One evaluator thread: every tile runs on the calling thread, where <see cref="GatedTanh.Hook"/> fires.</summary>
    public NetworkEvaluator<GatedTanh> Evaluator => _evaluator;

    /// <summary>A flow on its own particles, whose progress callback runs <see cref="OnProgress"/> once.</summary>
    public GradientFlow<GatedTanh> Flow => _flow;

    /// <summary>Runs once at the next progress report of <see cref="Flow"/> (inside its call).</summary>
    public Action? OnProgress { get; set; }

    public static double[] Filled(int length, double value)
    {
        var array = new double[length];
        Array.Fill(array, value);
        return array;
    }

    public static ParticleSet WithValue(ParticleSet particles, int index, double value)
    {
        ParticleSet copy = particles.Clone();
        copy.Values[index] = value;
        return copy;
    }

    /// <summary>Everything a call could change, as text: particle values (bits), destinations, settings, flow progress.</summary>
    public string Fingerprint()
    {
        var text = new System.Text.StringBuilder();
        foreach (ParticleSet set in new[] { Particles, Probes, Velocity, NaNParticles, InfiniteParticles, NegativeInfiniteParticles, NaNProbes, OtherModelParticles })
        {
            text.Append(Hash(set.Values)).Append(';');
        }

        foreach (ParticleSet set in new[] { Teacher, InteractionParticles, InteractionProbes, InteractionGradient, NaNInteractionParticles, InfiniteInteractionParticles, NegativeWeightParticles, NaNWeightParticles })
        {
            text.Append(Hash(set.Values)).Append(Hash(set.Weights)).Append(';');
        }

        text.Append(CultureInfo.InvariantCulture, $"interactions {_interactions.KernelEvaluations};");
        text.Append(Hash(RawInputs)).Append(';').Append(Hash(Buffer)).Append(';').Append(Hash(Buffer2)).Append(';').Append(Hash(Buffer3)).Append(';');
        text.Append(Hash(Samples.Inputs)).Append(Hash(Samples.Targets)).Append(';').Append(Options.GetHashCode()).Append(';');
        text.Append(CultureInfo.InvariantCulture, $"evaluator budget {_evaluator.PairCacheBudgetBytes}, validate {_evaluator.ValidateInputs}, cached {_evaluator.LastGradientUsedPairCache};");
        text.Append(CultureInfo.InvariantCulture, $"flow steps {_flow.StepsTaken}, history {_flow.LossHistory.Count}, particles {Hash(_flow.Particles.Values)}, velocity {Hash(_flow.Velocity.Values)};");

        return text.ToString();
    }

    public void Dispose()
    {
        _evaluator.Dispose();
        _flow.Dispose();
        _interactions.Dispose();
    }

    private void RunProgress()
    {
        Action? action = OnProgress;
        OnProgress = null;
        action?.Invoke();
    }

    private static string Hash(ReadOnlySpan<double> values)
    {
        var hash = new HashCode();
        foreach (double v in values)
        {
            hash.Add(BitConverter.DoubleToInt64Bits(v));
        }

        return hash.ToHashCode().ToString("x8", CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// The bad-input matrix (specs/reliability.md): every public constructor, method and setter of the runtime × wrong
/// lengths, zero/negative sizes, NaN/±∞, null, disposed and concurrent use; <see cref="CoverageCheck"/> fails on
/// any public entry point with neither a row nor a reasoned exemption. Future solvers add their rows to
/// <see cref="BadInputRows"/>.
/// </summary>
public sealed class BadInputMatrix
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, BadInputRow> RowsByName = BadInputRows.All().ToDictionary(r => r.Name, StringComparer.Ordinal);

    public static TheoryData<string> RowNames() => new(RowsByName.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(RowNames))]
    public void Row(string name)
    {
        try
        {
            RunRow(RowsByName[name]);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException { Message: var m } || !m.StartsWith(name, StringComparison.Ordinal))
        {
            throw new Xunit.Sdk.XunitException($"{name}: {e.Message}");
        }
    }

    private static void RunRow(BadInputRow row)
    {
        using var world = new BadInputWorld();
        row.Arrange?.Invoke(world);
        switch (row.Mode)
        {
            case CallMode.Direct:
            {
                string before = world.Fingerprint();
                Exception? error = Record.Exception(() => row.Act(world));
                Check(row, error);
                Assert.Equal(before, world.Fingerprint());
                break;
            }

            case CallMode.InsideEvaluatorCall:
            case CallMode.OtherThreadDuringEvaluatorCall:
            {
                ParticleSet particles = world.Particles.Clone();
                double expected;
                using (var reference = new NetworkEvaluator<GatedTanh>(1))
                {
                    expected = reference.Loss(particles, world.Samples);
                }

                (string Before, string After, Exception? Error)? inner = null;
                GatedTanh.Hook = () => inner = Inner(world, row);
                double loss = world.Evaluator.Loss(particles, world.Samples);
                Assert.NotNull(inner);
                Check(row, inner.Value.Error);
                Assert.Equal(inner.Value.Before, inner.Value.After);
                Assert.Equal(expected, loss); // the running call is unaffected
                break;
            }

            case CallMode.InsideInteractionCall:
            case CallMode.OtherThreadDuringInteractionCall:
            {
                ParticleSet particles = world.InteractionParticles.Clone();
                double expected;
                using (var reference = new InteractionEvaluator<GaussianKernel>(new InteractionEvaluatorOptions { ThreadCount = 1, Reference = world.Teacher }))
                {
                    expected = reference.Energy(particles);
                }

                (string Before, string After, Exception? Error)? inner = null;
                GaussianKernel.Hook = () => inner = Inner(world, row);
                double energy = world.Interactions.Energy(particles);
                Assert.NotNull(inner);
                Check(row, inner.Value.Error);
                Assert.Equal(inner.Value.Before, inner.Value.After);
                Assert.Equal(expected, energy); // the running call is unaffected
                break;
            }

            default:
            {
                GradientFlow<GatedTanh> flow = world.Flow;
                (string Before, string After, Exception? Error)? inner = null;
                world.OnProgress = () => inner = Inner(world, row);
                flow.Step();
                Assert.NotNull(inner);
                Check(row, inner.Value.Error);
                Assert.Equal(inner.Value.Before, inner.Value.After);
                Assert.Equal(1, flow.StepsTaken); // the running step completed, once
                break;
            }
        }
    }

    /// <summary>Every row names a real public member, and no two rows share a name.</summary>
    [Fact]
    public void RowsNameRealMembers()
    {
        HashSet<string> members = [.. PublicApi.EntryPoints().Select(m => m.Key)];
        Assert.Empty(BadInputRows.All().Select(r => r.Member).Where(m => !members.Contains(m)).Distinct());
        Assert.Equal(BadInputRows.All().Count(), RowsByName.Count);
    }

    /// <summary>Every public entry point of the runtime has a row or a reasoned exemption; no exemption is stale.</summary>
    [Fact]
    public void CoverageCheck()
    {
        HashSet<string> covered = [.. BadInputRows.All().Select(r => r.Member)];
        var missing = new List<string>();
        foreach (PublicApi.EntryPoint member in PublicApi.EntryPoints())
        {
            if (!covered.Contains(member.Key) && PublicApi.Exemption(member) is null)
            {
                missing.Add(member.Key);
            }
        }

        Assert.True(missing.Count == 0, "Public entry points with no bad-input row and no exemption:\n" + string.Join("\n", missing));
        Assert.All(PublicApi.ExplicitExemptions.Keys, key => Assert.Contains(key, PublicApi.EntryPoints().Select(m => m.Key)));
        Assert.All(PublicApi.ExplicitExemptions.Keys, key => Assert.DoesNotContain(key, covered));
    }

    private static (string Before, string After, Exception? Error) Inner(BadInputWorld world, BadInputRow row)
    {
        string before = world.Fingerprint();
        Exception? error = null;
        if (row.Mode is CallMode.InsideEvaluatorCall or CallMode.InsideFlowCall or CallMode.InsideInteractionCall)
        {
            error = Record.Exception(() => row.Act(world));
        }
        else
        {
            var thread = new Thread(() => error = Record.Exception(() => row.Act(world)));
            thread.Start();
            Assert.True(thread.Join(Patience), "the concurrent call hung");
        }

        return (before, world.Fingerprint(), error);
    }

    private static void Check(BadInputRow row, Exception? error)
    {
        if (row.Exception is null)
        {
            Assert.Null(error);
            return;
        }

        Assert.NotNull(error);
        Assert.IsType(row.Exception, error, exactMatch: true);
        switch (error)
        {
            case ObjectDisposedException disposed:
                Assert.Equal(row.ParamName, disposed.ObjectName);
                break;
            case ArgumentException argument:
                Assert.Equal(row.ParamName, argument.ParamName);
                break;
            default:
                Assert.Null(row.ParamName);
                break;
        }

        foreach (string part in row.Message)
        {
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
        }
    }
}
