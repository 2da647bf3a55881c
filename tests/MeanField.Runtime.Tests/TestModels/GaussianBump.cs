using System.Runtime.Intrinsics;

namespace MeanField.Runtime.Tests.TestModels;

/// <summary>
/// Hand-written stand-in for generated code: φ(x; c, s, w) = c·exp(−|w − x|²/(2s²)) written through channels,
/// |w − x|² = |w|² − 2 w·x + |x|²; ℓ = ½(ŷ − y)²; U = ½λ(c² + |w|²), λ = 1e-3.
/// Inputs [c, s, |w|², |x|², w·x] (S = 2, Q = 1, R = 1, P = 1).
/// </summary>
internal readonly struct GaussianBump : INetworkModel<GaussianBump>
{
    public const double Lambda = 1e-3;

    public static readonly NetworkLayout LayoutInstance = new("GaussianBump", ["c", "s"], ["w"], [new ParticleChannel(0, 0)], true, [0], true);

    static NetworkLayout INetworkModel<GaussianBump>.Layout => LayoutInstance;

    static string INetworkModel<GaussianBump>.Derivation => "φ = c·exp(−(|w|² − 2w·x + |x|²)/(2s²))";

    static DerivedFormulas INetworkModel<GaussianBump>.Formulas { get; } = new("GaussianBump", [new("φ", "c·exp(−(|w|² − 2w·x + |x|²)/(2s²))")]);

    public static double Phi(ReadOnlySpan<double> x)
    {
        double s2 = x[1] * x[1];
        return x[0] * Math.Exp(-(x[2] - (2 * x[4]) + x[3]) / (2 * s2));
    }

    public static void PhiGradient(ReadOnlySpan<double> x, Span<double> g)
    {
        double c = x[0], s = x[1];
        double s2 = s * s;
        double distance = x[2] - (2 * x[4]) + x[3];
        double e = Math.Exp(-distance / (2 * s2));
        g[0] = e;
        g[1] = c * e * distance / (s2 * s);
        g[2] = -c * e / (2 * s2);
        g[3] = -c * e / (2 * s2);
        g[4] = c * e / s2;
    }

    public static double U(ReadOnlySpan<double> x) => 0.5 * Lambda * ((x[0] * x[0]) + x[2]);

    static double INetworkModel<GaussianBump>.Unit(ReadOnlySpan<double> inputs) => Phi(inputs);

    static Vector128<double> INetworkModel<GaussianBump>.Unit(ReadOnlySpan<Vector128<double>> inputs) => Lanewise.Apply(inputs, Phi);

    static Vector256<double> INetworkModel<GaussianBump>.Unit(ReadOnlySpan<Vector256<double>> inputs) => Lanewise.Apply(inputs, Phi);

    static Vector512<double> INetworkModel<GaussianBump>.Unit(ReadOnlySpan<Vector512<double>> inputs) => Lanewise.Apply(inputs, Phi);

    static void INetworkModel<GaussianBump>.UnitGradient(ReadOnlySpan<double> inputs, Span<double> gradient) => PhiGradient(inputs, gradient);

    static void INetworkModel<GaussianBump>.UnitGradient(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient) => Lanewise.Apply(inputs, gradient, PhiGradient);

    static void INetworkModel<GaussianBump>.UnitGradient(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient) => Lanewise.Apply(inputs, gradient, PhiGradient);

    static void INetworkModel<GaussianBump>.UnitGradient(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient) => Lanewise.Apply(inputs, gradient, PhiGradient);

    static double INetworkModel<GaussianBump>.Cost(double target, double prediction) => TanhRidge.SquareCost(target, prediction);

    static double INetworkModel<GaussianBump>.CostDerivative(double target, double prediction) => prediction - target;

    static Vector128<double> INetworkModel<GaussianBump>.CostDerivative(Vector128<double> target, Vector128<double> prediction) => prediction - target;

    static Vector256<double> INetworkModel<GaussianBump>.CostDerivative(Vector256<double> target, Vector256<double> prediction) => prediction - target;

    static Vector512<double> INetworkModel<GaussianBump>.CostDerivative(Vector512<double> target, Vector512<double> prediction) => prediction - target;

    static double INetworkModel<GaussianBump>.Regularizer(ReadOnlySpan<double> inputs) => U(inputs);

    static void INetworkModel<GaussianBump>.RegularizerGradient(ReadOnlySpan<double> inputs, Span<double> gradient)
    {
        gradient[0] = Lambda * inputs[0];
        gradient[1] = 0;
        gradient[2] = 0.5 * Lambda;
    }
}
