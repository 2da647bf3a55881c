using System.Runtime.Intrinsics;

namespace MeanField.Runtime.Tests.TestModels;

/// <summary>
/// <see cref="TanhRidge"/> with a hook: the unit and the cost call <see cref="Hook"/> (once, then it disarms), so a
/// test can act at a known point <em>inside</em> a running evaluator or flow call — call it again from the same
/// thread (a re-entrant callback) or from another thread while the call is held — with no timing involved.
/// </summary>
/// <remarks>
/// The hook is thread-static: it fires only on the thread that armed it, so tests running in parallel (and the
/// pool's worker threads) never see it. With one evaluator thread every tile runs on the calling thread, so a
/// hook armed before a call fires inside it; the cost (ℓ) always runs on the calling thread.
/// </remarks>
internal readonly struct GatedTanh : INetworkModel<GatedTanh>
{
    public static readonly NetworkLayout LayoutInstance = new("GatedTanh", ["c", "b"], ["w"], [], false, [0], false);

    [ThreadStatic]
    private static Action? hook;

    /// <summary>Runs once, inside the next unit or cost evaluation on this thread.</summary>
    public static Action? Hook
    {
        get => hook;
        set => hook = value;
    }

    static NetworkLayout INetworkModel<GatedTanh>.Layout => LayoutInstance;

    static string INetworkModel<GatedTanh>.Derivation => "φ = c·tanh(w·x + b)";

    static DerivedFormulas INetworkModel<GatedTanh>.Formulas { get; } = new("GatedTanh", [new("φ", "c·tanh(w·x + b)")]);

    public static ParticleSet Particles(int n, int d, ulong seed)
    {
        ParticleSet particles = ParticleSet.Create<GatedTanh>(n, d);
        particles.InitializeGaussian(seed);
        return particles;
    }

    private static void Fire()
    {
        Action? action = hook;
        if (action is not null)
        {
            hook = null;
            action();
        }
    }

    private static double Phi(ReadOnlySpan<double> x)
    {
        Fire();
        return TanhRidge.Phi(x);
    }

    static double INetworkModel<GatedTanh>.Unit(ReadOnlySpan<double> inputs) => Phi(inputs);

    static Vector128<double> INetworkModel<GatedTanh>.Unit(ReadOnlySpan<Vector128<double>> inputs) => Lanewise.Apply(inputs, Phi);

    static Vector256<double> INetworkModel<GatedTanh>.Unit(ReadOnlySpan<Vector256<double>> inputs) => Lanewise.Apply(inputs, Phi);

    static Vector512<double> INetworkModel<GatedTanh>.Unit(ReadOnlySpan<Vector512<double>> inputs) => Lanewise.Apply(inputs, Phi);

    static void INetworkModel<GatedTanh>.UnitGradient(ReadOnlySpan<double> inputs, Span<double> gradient) => TanhRidge.PhiGradient(inputs, gradient);

    static void INetworkModel<GatedTanh>.UnitGradient(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient) => Lanewise.Apply(inputs, gradient, TanhRidge.PhiGradient);

    static void INetworkModel<GatedTanh>.UnitGradient(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient) => Lanewise.Apply(inputs, gradient, TanhRidge.PhiGradient);

    static void INetworkModel<GatedTanh>.UnitGradient(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient) => Lanewise.Apply(inputs, gradient, TanhRidge.PhiGradient);

    static double INetworkModel<GatedTanh>.Cost(double target, double prediction)
    {
        Fire();
        return TanhRidge.SquareCost(target, prediction);
    }

    static double INetworkModel<GatedTanh>.CostDerivative(double target, double prediction) => TanhRidge.SquareCostDerivative(target, prediction);

    static Vector128<double> INetworkModel<GatedTanh>.CostDerivative(Vector128<double> target, Vector128<double> prediction) => prediction - target;

    static Vector256<double> INetworkModel<GatedTanh>.CostDerivative(Vector256<double> target, Vector256<double> prediction) => prediction - target;

    static Vector512<double> INetworkModel<GatedTanh>.CostDerivative(Vector512<double> target, Vector512<double> prediction) => prediction - target;

    static double INetworkModel<GatedTanh>.Regularizer(ReadOnlySpan<double> inputs) => 0;

    static void INetworkModel<GatedTanh>.RegularizerGradient(ReadOnlySpan<double> inputs, Span<double> gradient) => gradient.Clear();
}
