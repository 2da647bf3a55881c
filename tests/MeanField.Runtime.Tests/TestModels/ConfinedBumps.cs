using System.Runtime.Intrinsics;

namespace MeanField.Runtime.Tests.TestModels;

/// <summary>
/// Hand-written interaction model with every part: θ = (c, z, v), kernel
/// K = c c′ exp(−|z − z′|²/2) (1 + v·v′) (a squared-distance and a dot pair channel), potential
/// F(θ) = c exp(−|z|²/2) and confinement U(θ) = ½λ(c² + |z|² + |v|²), λ = 0.1.
/// Inputs [c, |z|², |v|², c′, |z′|², |v′|², |z − z′|², v·v′] (S = 1, Q = 2, P = 2).
/// </summary>
internal readonly struct ConfinedBumps : IInteractionModel<ConfinedBumps>
{
    public const double Lambda = 0.1;

    public static readonly InteractionLayout LayoutInstance = new(
        "ConfinedBumps",
        ["c"],
        ["z", "v"],
        [new ParticleChannel(0, 0), new ParticleChannel(1, 1)],
        [new PairChannel(0, 0, PairChannelKind.SquaredDistance), new PairChannel(1, 1, PairChannelKind.Dot)],
        hasPotential: true,
        hasConfinement: true);

    static InteractionLayout IInteractionModel<ConfinedBumps>.Layout => LayoutInstance;

    static string IInteractionModel<ConfinedBumps>.Derivation => "K = c·c′·exp(−|z − z′|²/2)·(1 + v·v′)";

    static DerivedFormulas IInteractionModel<ConfinedBumps>.Formulas { get; } = new("ConfinedBumps", [new("K", "c·c′·exp(−|z − z′|²/2)·(1 + v·v′)")]);

    public static double Kernel(ReadOnlySpan<double> x) => x[0] * x[3] * Math.Exp(-x[6] / 2) * (1 + x[7]);

    public static void KernelGradient(ReadOnlySpan<double> x, Span<double> g)
    {
        double e = Math.Exp(-x[6] / 2);
        double t = 1 + x[7];
        g.Clear();
        g[0] = x[3] * e * t;
        g[3] = x[0] * e * t;
        g[6] = -0.5 * x[0] * x[3] * e * t;
        g[7] = x[0] * x[3] * e;
    }

    public static double Potential(ReadOnlySpan<double> x) => x[0] * Math.Exp(-x[1] / 2);

    public static double Confinement(ReadOnlySpan<double> x) => 0.5 * Lambda * ((x[0] * x[0]) + x[1] + x[2]);

    static double IInteractionModel<ConfinedBumps>.Kernel(ReadOnlySpan<double> inputs) => Kernel(inputs);

    static Vector128<double> IInteractionModel<ConfinedBumps>.Kernel(ReadOnlySpan<Vector128<double>> inputs) => Lanewise.Apply(inputs, Kernel);

    static Vector256<double> IInteractionModel<ConfinedBumps>.Kernel(ReadOnlySpan<Vector256<double>> inputs) => Lanewise.Apply(inputs, Kernel);

    static Vector512<double> IInteractionModel<ConfinedBumps>.Kernel(ReadOnlySpan<Vector512<double>> inputs) => Lanewise.Apply(inputs, Kernel);

    static void IInteractionModel<ConfinedBumps>.KernelGradient(ReadOnlySpan<double> inputs, Span<double> gradient) => KernelGradient(inputs, gradient);

    static void IInteractionModel<ConfinedBumps>.KernelGradient(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient) => Lanewise.Apply(inputs, gradient, KernelGradient);

    static void IInteractionModel<ConfinedBumps>.KernelGradient(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient) => Lanewise.Apply(inputs, gradient, KernelGradient);

    static void IInteractionModel<ConfinedBumps>.KernelGradient(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient) => Lanewise.Apply(inputs, gradient, KernelGradient);

    static double IInteractionModel<ConfinedBumps>.Potential(ReadOnlySpan<double> inputs) => Potential(inputs);

    static void IInteractionModel<ConfinedBumps>.PotentialGradient(ReadOnlySpan<double> inputs, Span<double> gradient)
    {
        double e = Math.Exp(-inputs[1] / 2);
        gradient[0] = e;
        gradient[1] = -0.5 * inputs[0] * e;
        gradient[2] = 0;
    }

    static double IInteractionModel<ConfinedBumps>.Confinement(ReadOnlySpan<double> inputs) => Confinement(inputs);

    static void IInteractionModel<ConfinedBumps>.ConfinementGradient(ReadOnlySpan<double> inputs, Span<double> gradient)
    {
        gradient[0] = Lambda * inputs[0];
        gradient[1] = 0.5 * Lambda;
        gradient[2] = 0.5 * Lambda;
    }

    /// <summary>Particles with c ~ N(0, 1), z and v ~ N(0, I/d).</summary>
    public static ParticleSet Particles(int count, int dimension, ulong seed)
    {
        var particles = ParticleSet.Create(LayoutInstance, count, dimension);
        particles.InitializeGaussian(seed);
        return particles;
    }
}
