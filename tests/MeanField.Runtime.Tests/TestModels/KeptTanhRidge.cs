using System.Runtime.Intrinsics;

namespace MeanField.Runtime.Tests.TestModels;

/// <summary>
/// <see cref="TanhRidge"/> with the kept value of the cached schedule written by hand (what the generator emits for a
/// tanh unit: CutCount 1, t = tanh(w·x + b) kept in the pair channel's slot, ∇φ = (t, c(1 − t²), c(1 − t²)) from it),
/// and counters of the operator calls, so tests can see which path the engine took.
/// </summary>
internal readonly struct KeptTanhRidge : INetworkModel<KeptTanhRidge>
{
    private static long _gradientCalls;
    private static long _fromCutCalls;
    private static long _unitAndCutCalls;

    /// <summary>Calls of UnitGradient (every width) since <see cref="ResetCounts"/>.</summary>
    public static long GradientCalls => Interlocked.Read(ref _gradientCalls);

    /// <summary>Calls of UnitGradientFromCut.</summary>
    public static long FromCutCalls => Interlocked.Read(ref _fromCutCalls);

    /// <summary>Calls of UnitAndCut.</summary>
    public static long UnitAndCutCalls => Interlocked.Read(ref _unitAndCutCalls);

    public static void ResetCounts()
    {
        Interlocked.Exchange(ref _gradientCalls, 0);
        Interlocked.Exchange(ref _fromCutCalls, 0);
        Interlocked.Exchange(ref _unitAndCutCalls, 0);
    }

    static NetworkLayout INetworkModel<KeptTanhRidge>.Layout => TanhRidge.LayoutInstance;

    static string INetworkModel<KeptTanhRidge>.Derivation => "φ = c·tanh(w·x + b)";

    static DerivedFormulas INetworkModel<KeptTanhRidge>.Formulas { get; } = new("KeptTanhRidge", [new("φ", "c·tanh(w·x + b)")]);

    static int INetworkModel<KeptTanhRidge>.CutCount => 1;

    private static void Keep(ReadOnlySpan<double> x, Span<double> cut) => cut[0] = Math.Tanh(x[2] + x[1]);

    private static void FromCut(ReadOnlySpan<double> x, Span<double> g)
    {
        double t = x[2];
        double slope = x[0] * (1 - (t * t));
        g[0] = t;
        g[1] = slope;
        g[2] = slope;
    }

    private static TVec UnitAndCut<TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> cut)
        where TVec : unmanaged
    {
        Interlocked.Increment(ref _unitAndCutCalls);
        Lanewise.Apply(inputs, cut, Keep);
        return Lanewise.Apply(inputs, TanhRidge.Phi);
    }

    private static void FromCut<TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
        where TVec : unmanaged
    {
        Interlocked.Increment(ref _fromCutCalls);
        Lanewise.Apply(inputs, gradient, FromCut);
    }

    private static void Gradient<TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
        where TVec : unmanaged
    {
        Interlocked.Increment(ref _gradientCalls);
        Lanewise.Apply(inputs, gradient, TanhRidge.PhiGradient);
    }

    static double INetworkModel<KeptTanhRidge>.Unit(ReadOnlySpan<double> inputs) => TanhRidge.Phi(inputs);

    static Vector128<double> INetworkModel<KeptTanhRidge>.Unit(ReadOnlySpan<Vector128<double>> inputs) => Lanewise.Apply(inputs, TanhRidge.Phi);

    static Vector256<double> INetworkModel<KeptTanhRidge>.Unit(ReadOnlySpan<Vector256<double>> inputs) => Lanewise.Apply(inputs, TanhRidge.Phi);

    static Vector512<double> INetworkModel<KeptTanhRidge>.Unit(ReadOnlySpan<Vector512<double>> inputs) => Lanewise.Apply(inputs, TanhRidge.Phi);

    static void INetworkModel<KeptTanhRidge>.UnitGradient(ReadOnlySpan<double> inputs, Span<double> gradient) => Gradient<double>(inputs, gradient);

    static void INetworkModel<KeptTanhRidge>.UnitGradient(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient) => Gradient(inputs, gradient);

    static void INetworkModel<KeptTanhRidge>.UnitGradient(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient) => Gradient(inputs, gradient);

    static void INetworkModel<KeptTanhRidge>.UnitGradient(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient) => Gradient(inputs, gradient);

    static double INetworkModel<KeptTanhRidge>.UnitAndCut(ReadOnlySpan<double> inputs, Span<double> cut) => UnitAndCut<double>(inputs, cut);

    static Vector128<double> INetworkModel<KeptTanhRidge>.UnitAndCut(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> cut) => UnitAndCut(inputs, cut);

    static Vector256<double> INetworkModel<KeptTanhRidge>.UnitAndCut(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> cut) => UnitAndCut(inputs, cut);

    static Vector512<double> INetworkModel<KeptTanhRidge>.UnitAndCut(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> cut) => UnitAndCut(inputs, cut);

    static void INetworkModel<KeptTanhRidge>.UnitGradientFromCut(ReadOnlySpan<double> inputs, Span<double> gradient) => FromCut<double>(inputs, gradient);

    static void INetworkModel<KeptTanhRidge>.UnitGradientFromCut(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient) => FromCut(inputs, gradient);

    static void INetworkModel<KeptTanhRidge>.UnitGradientFromCut(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient) => FromCut(inputs, gradient);

    static void INetworkModel<KeptTanhRidge>.UnitGradientFromCut(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient) => FromCut(inputs, gradient);

    static double INetworkModel<KeptTanhRidge>.Cost(double target, double prediction) => TanhRidge.SquareCost(target, prediction);

    static double INetworkModel<KeptTanhRidge>.CostDerivative(double target, double prediction) => TanhRidge.SquareCostDerivative(target, prediction);

    static Vector128<double> INetworkModel<KeptTanhRidge>.CostDerivative(Vector128<double> target, Vector128<double> prediction) => prediction - target;

    static Vector256<double> INetworkModel<KeptTanhRidge>.CostDerivative(Vector256<double> target, Vector256<double> prediction) => prediction - target;

    static Vector512<double> INetworkModel<KeptTanhRidge>.CostDerivative(Vector512<double> target, Vector512<double> prediction) => prediction - target;

    static double INetworkModel<KeptTanhRidge>.Regularizer(ReadOnlySpan<double> inputs) => 0;

    static void INetworkModel<KeptTanhRidge>.RegularizerGradient(ReadOnlySpan<double> inputs, Span<double> gradient) => gradient.Clear();
}
