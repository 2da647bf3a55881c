using System.Runtime.Intrinsics;

namespace MeanField.Runtime.Tests.TestModels;

/// <summary>
/// Hand-written stand-in for generated code: φ(x; c, b, w) = c·tanh(w·x + b), ℓ = ½(ŷ − y)², no regularizer.
/// Inputs [c, b, w·x]; ∂φ/∂c = tanh z, ∂φ/∂b = ∂φ/∂(w·x) = c(1 − tanh² z), z = w·x + b.
/// </summary>
internal readonly struct TanhRidge : INetworkModel<TanhRidge>
{
    public static readonly NetworkLayout LayoutInstance = new("TanhRidge", ["c", "b"], ["w"], [], false, [0], false);

    static NetworkLayout INetworkModel<TanhRidge>.Layout => LayoutInstance;

    static string INetworkModel<TanhRidge>.Derivation => "φ = c·tanh(w·x + b)";

    static DerivedFormulas INetworkModel<TanhRidge>.Formulas { get; } = new("TanhRidge", [new("φ", "c·tanh(w·x + b)")]);

    public static double Phi(ReadOnlySpan<double> x) => x[0] * Math.Tanh(x[2] + x[1]);

    public static void PhiGradient(ReadOnlySpan<double> x, Span<double> g)
    {
        double t = Math.Tanh(x[2] + x[1]);
        double slope = x[0] * (1 - (t * t));
        g[0] = t;
        g[1] = slope;
        g[2] = slope;
    }

    public static double SquareCost(double y, double p) => 0.5 * (p - y) * (p - y);

    public static double SquareCostDerivative(double y, double p) => p - y;

    static double INetworkModel<TanhRidge>.Unit(ReadOnlySpan<double> inputs) => Phi(inputs);

    static Vector128<double> INetworkModel<TanhRidge>.Unit(ReadOnlySpan<Vector128<double>> inputs) => Lanewise.Apply(inputs, Phi);

    static Vector256<double> INetworkModel<TanhRidge>.Unit(ReadOnlySpan<Vector256<double>> inputs) => Lanewise.Apply(inputs, Phi);

    static Vector512<double> INetworkModel<TanhRidge>.Unit(ReadOnlySpan<Vector512<double>> inputs) => Lanewise.Apply(inputs, Phi);

    static void INetworkModel<TanhRidge>.UnitGradient(ReadOnlySpan<double> inputs, Span<double> gradient) => PhiGradient(inputs, gradient);

    static void INetworkModel<TanhRidge>.UnitGradient(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient) => Lanewise.Apply(inputs, gradient, PhiGradient);

    static void INetworkModel<TanhRidge>.UnitGradient(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient) => Lanewise.Apply(inputs, gradient, PhiGradient);

    static void INetworkModel<TanhRidge>.UnitGradient(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient) => Lanewise.Apply(inputs, gradient, PhiGradient);

    static double INetworkModel<TanhRidge>.Cost(double target, double prediction) => SquareCost(target, prediction);

    static double INetworkModel<TanhRidge>.CostDerivative(double target, double prediction) => SquareCostDerivative(target, prediction);

    static Vector128<double> INetworkModel<TanhRidge>.CostDerivative(Vector128<double> target, Vector128<double> prediction) => prediction - target;

    static Vector256<double> INetworkModel<TanhRidge>.CostDerivative(Vector256<double> target, Vector256<double> prediction) => prediction - target;

    static Vector512<double> INetworkModel<TanhRidge>.CostDerivative(Vector512<double> target, Vector512<double> prediction) => prediction - target;

    static double INetworkModel<TanhRidge>.Regularizer(ReadOnlySpan<double> inputs) => 0;

    static void INetworkModel<TanhRidge>.RegularizerGradient(ReadOnlySpan<double> inputs, Span<double> gradient) => gradient.Clear();
}
