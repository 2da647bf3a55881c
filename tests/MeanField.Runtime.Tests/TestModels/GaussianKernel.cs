using System.Runtime.Intrinsics;

namespace MeanField.Runtime.Tests.TestModels;

/// <summary>
/// Hand-written interaction model: K(θ, θ′) = c c′ exp(−|z − z′|²/(4σ²)), σ = 0.5, θ = (c, z), with a squared-distance
/// pair channel. No potential, no confinement. Inputs [c, c′, |z − z′|²] (S = 1, Q = 0, P = 1).
/// </summary>
internal readonly struct GaussianKernel : IInteractionModel<GaussianKernel>
{
    public const double Sigma = 0.5;

    [ThreadStatic]
    private static Action? hook;

    /// <summary>Runs once, inside the next kernel evaluation on this thread (the bad-input matrix's re-entrant and concurrent rows).</summary>
    public static Action? Hook
    {
        get => hook;
        set => hook = value;
    }

    public static readonly InteractionLayout LayoutInstance = new(
        "GaussianKernel", ["c"], ["z"], [], [new PairChannel(0, 0, PairChannelKind.SquaredDistance)], hasPotential: false, hasConfinement: false);

    static InteractionLayout IInteractionModel<GaussianKernel>.Layout => LayoutInstance;

    static string IInteractionModel<GaussianKernel>.Derivation => "K = c·c′·exp(−|z − z′|²/(4σ²))";

    static DerivedFormulas IInteractionModel<GaussianKernel>.Formulas { get; } = new("GaussianKernel", [new("K", "c·c′·exp(−|z − z′|²/(4σ²))")]);

    public static double Kernel(ReadOnlySpan<double> x)
    {
        if (hook is { } action)
        {
            hook = null;
            action();
        }

        return x[0] * x[1] * Math.Exp(-x[2] / (4 * Sigma * Sigma));
    }

    public static void KernelGradient(ReadOnlySpan<double> x, Span<double> g)
    {
        double e = Math.Exp(-x[2] / (4 * Sigma * Sigma));
        g[0] = x[1] * e;
        g[1] = x[0] * e;
        g[2] = -x[0] * x[1] * e / (4 * Sigma * Sigma);
    }

    static double IInteractionModel<GaussianKernel>.Kernel(ReadOnlySpan<double> inputs) => Kernel(inputs);

    static Vector128<double> IInteractionModel<GaussianKernel>.Kernel(ReadOnlySpan<Vector128<double>> inputs) => Lanewise.Apply(inputs, Kernel);

    static Vector256<double> IInteractionModel<GaussianKernel>.Kernel(ReadOnlySpan<Vector256<double>> inputs) => Lanewise.Apply(inputs, Kernel);

    static Vector512<double> IInteractionModel<GaussianKernel>.Kernel(ReadOnlySpan<Vector512<double>> inputs) => Lanewise.Apply(inputs, Kernel);

    static void IInteractionModel<GaussianKernel>.KernelGradient(ReadOnlySpan<double> inputs, Span<double> gradient) => KernelGradient(inputs, gradient);

    static void IInteractionModel<GaussianKernel>.KernelGradient(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient) => Lanewise.Apply(inputs, gradient, KernelGradient);

    static void IInteractionModel<GaussianKernel>.KernelGradient(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient) => Lanewise.Apply(inputs, gradient, KernelGradient);

    static void IInteractionModel<GaussianKernel>.KernelGradient(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient) => Lanewise.Apply(inputs, gradient, KernelGradient);

    static double IInteractionModel<GaussianKernel>.Potential(ReadOnlySpan<double> inputs) => 0;

    static void IInteractionModel<GaussianKernel>.PotentialGradient(ReadOnlySpan<double> inputs, Span<double> gradient) => gradient.Clear();

    static double IInteractionModel<GaussianKernel>.Confinement(ReadOnlySpan<double> inputs) => 0;

    static void IInteractionModel<GaussianKernel>.ConfinementGradient(ReadOnlySpan<double> inputs, Span<double> gradient) => gradient.Clear();

    /// <summary>Particles with c ~ N(0, 1) and z ~ N(0, I/d).</summary>
    public static ParticleSet Particles(int count, int dimension, ulong seed)
    {
        var particles = ParticleSet.Create(LayoutInstance, count, dimension);
        particles.InitializeGaussian(seed);
        return particles;
    }
}
