using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MeanField.Numerics;

namespace MeanField.Runtime.Tests.TestModels;

/// <summary>
/// Hand-written stand-in for a generated interaction model (also compiled into the benchmarks): the ReLU arc-cosine
/// kernel of degree 1 for Gaussian inputs (Cho–Saul 2009), θ = (c, w):
/// K(θ, θ′) = c c′ |w||w′| J(u)/(2π), u = w·w′/(|w||w′|) clamped to [−1, 1], J(u) = √(1 − u²) + (π − acos u)u.
/// No potential, no confinement. Inputs [c, |w|², c′, |w′|², w·w′] (S = 1, Q = 1, P = 1, Dot).
/// </summary>
/// <remarks>
/// With N = |w|², N′ = |w′|², D = w·w′, R = √(N N′): ∂K/∂D = c c′ (π − acos u)/(2π) and
/// ∂K/∂N = c c′ R √(1 − u²)/(4π N) (from J − uJ′ = √(1 − u²)), both finite at u = ±1 (the self-pair, parallel
/// particles), where differentiating acos directly would give 0·∞. Vector overloads use real SIMD (SimdMath.Acos).
/// KernelWithGradient is fused, as a careful hand-written kernel is: one r, u, √(1 − u²) and acos u for K and ∇K, its K
/// bit for bit Kernel's [KernelWithGradientTests]; KernelGradient is the fused operator with the value unused.
/// </remarks>
internal readonly struct ArcCosine : IInteractionModel<ArcCosine>
{
    public static readonly InteractionLayout LayoutInstance = new(
        "ArcCosine", ["c"], ["w"], [new ParticleChannel(0, 0)], [new PairChannel(0, 0, PairChannelKind.Dot)], hasPotential: false, hasConfinement: false);

    private const double InverseTwoPi = 1.0 / (2 * Math.PI);

    static InteractionLayout IInteractionModel<ArcCosine>.Layout => LayoutInstance;

    static string IInteractionModel<ArcCosine>.Derivation => "K = c·c′·|w|·|w′|·J(u)/(2π)";

    static DerivedFormulas IInteractionModel<ArcCosine>.Formulas { get; } = new("ArcCosine", [new("K", "c·c′·|w|·|w′|·J(u)/(2π)")]);

    /// <summary>J(u) = √(1 − u²) + (π − acos u)u.</summary>
    public static double J(double u) => Math.Sqrt((1 - u) * (1 + u)) + ((Math.PI - Math.Acos(u)) * u);

    public static double Kernel(ReadOnlySpan<double> x)
    {
        double r = Math.Sqrt(x[1] * x[3]);
        double u = Math.Clamp(x[4] / r, -1.0, 1.0);
        return x[0] * x[2] * r * J(u) * InverseTwoPi;
    }

    /// <summary>∇K into <paramref name="g"/>: <see cref="KernelWithGradient"/>'s, its value unused.</summary>
    public static void KernelGradient(ReadOnlySpan<double> x, Span<double> g) => KernelWithGradient(x, g);

    /// <summary>K, returned, and ∇K into <paramref name="g"/> from one evaluation of their common terms.</summary>
    public static double KernelWithGradient(ReadOnlySpan<double> x, Span<double> g)
    {
        double c = x[0], n = x[1], c2 = x[2], n2 = x[3];
        double r = Math.Sqrt(n * n2);
        double u = Math.Clamp(x[4] / r, -1.0, 1.0);
        double s = Math.Sqrt((1 - u) * (1 + u));
        double slope = Math.PI - Math.Acos(u);
        double j = s + (slope * u);
        double cc = c * c2 * InverseTwoPi;
        g[0] = c2 * r * j * InverseTwoPi;
        g[1] = cc * r * s / (2 * n);
        g[2] = c * r * j * InverseTwoPi;
        g[3] = cc * r * s / (2 * n2);
        g[4] = cc * slope;
        return c * c2 * r * j * InverseTwoPi;
    }

    static double IInteractionModel<ArcCosine>.Kernel(ReadOnlySpan<double> inputs) => Kernel(inputs);

    static Vector128<double> IInteractionModel<ArcCosine>.Kernel(ReadOnlySpan<Vector128<double>> inputs) => Simd<Vector128<double>, Ops128>.Kernel(inputs);

    static Vector256<double> IInteractionModel<ArcCosine>.Kernel(ReadOnlySpan<Vector256<double>> inputs) => Simd<Vector256<double>, Ops256>.Kernel(inputs);

    static Vector512<double> IInteractionModel<ArcCosine>.Kernel(ReadOnlySpan<Vector512<double>> inputs) => Simd<Vector512<double>, Ops512>.Kernel(inputs);

    static void IInteractionModel<ArcCosine>.KernelGradient(ReadOnlySpan<double> inputs, Span<double> gradient) => KernelGradient(inputs, gradient);

    static void IInteractionModel<ArcCosine>.KernelGradient(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient) => Simd<Vector128<double>, Ops128>.Gradient(inputs, gradient);

    static void IInteractionModel<ArcCosine>.KernelGradient(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient) => Simd<Vector256<double>, Ops256>.Gradient(inputs, gradient);

    static void IInteractionModel<ArcCosine>.KernelGradient(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient) => Simd<Vector512<double>, Ops512>.Gradient(inputs, gradient);

    static double IInteractionModel<ArcCosine>.KernelWithGradient(ReadOnlySpan<double> inputs, Span<double> gradient) => KernelWithGradient(inputs, gradient);

    static Vector128<double> IInteractionModel<ArcCosine>.KernelWithGradient(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient) => Simd<Vector128<double>, Ops128>.KernelWithGradient(inputs, gradient);

    static Vector256<double> IInteractionModel<ArcCosine>.KernelWithGradient(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient) => Simd<Vector256<double>, Ops256>.KernelWithGradient(inputs, gradient);

    static Vector512<double> IInteractionModel<ArcCosine>.KernelWithGradient(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient) => Simd<Vector512<double>, Ops512>.KernelWithGradient(inputs, gradient);

    static double IInteractionModel<ArcCosine>.Potential(ReadOnlySpan<double> inputs) => 0;

    static void IInteractionModel<ArcCosine>.PotentialGradient(ReadOnlySpan<double> inputs, Span<double> gradient) => gradient.Clear();

    static double IInteractionModel<ArcCosine>.Confinement(ReadOnlySpan<double> inputs) => 0;

    static void IInteractionModel<ArcCosine>.ConfinementGradient(ReadOnlySpan<double> inputs, Span<double> gradient) => gradient.Clear();

    /// <summary>Particles with c ~ N(0, 1) and w ~ N(0, I/d).</summary>
    public static ParticleSet Particles(int count, int dimension, ulong seed)
    {
        var particles = ParticleSet.Create(LayoutInstance, count, dimension);
        particles.InitializeGaussian(seed);
        return particles;
    }

    private interface IOps<TV>
    {
        static abstract TV Create(double value);

        static abstract TV Add(TV a, TV b);

        static abstract TV Sub(TV a, TV b);

        static abstract TV Mul(TV a, TV b);

        static abstract TV Div(TV a, TV b);

        static abstract TV Sqrt(TV a);

        static abstract TV Clamp(TV a);

        static abstract TV Acos(TV a);
    }

    private static class Simd<TV, TOps>
        where TOps : struct, IOps<TV>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Kernel(ReadOnlySpan<TV> x)
        {
            TV r = TOps.Sqrt(TOps.Mul(x[1], x[3]));
            TV u = TOps.Clamp(TOps.Div(x[4], r));
            TV s = TOps.Sqrt(TOps.Mul(TOps.Sub(TOps.Create(1), u), TOps.Add(TOps.Create(1), u)));
            TV j = TOps.Add(s, TOps.Mul(TOps.Sub(TOps.Create(Math.PI), TOps.Acos(u)), u));
            return TOps.Mul(TOps.Mul(TOps.Mul(x[0], x[2]), TOps.Mul(r, j)), TOps.Create(InverseTwoPi));
        }

        /// <summary>∇K: <see cref="KernelWithGradient"/>'s, its value unused.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Gradient(ReadOnlySpan<TV> x, Span<TV> g) => KernelWithGradient(x, g);

        /// <summary>∇K, and K from its terms by <see cref="Kernel"/>'s expression (its bits).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV KernelWithGradient(ReadOnlySpan<TV> x, Span<TV> g)
        {
            TV half = TOps.Create(0.5);
            TV r = TOps.Sqrt(TOps.Mul(x[1], x[3]));
            TV u = TOps.Clamp(TOps.Div(x[4], r));
            TV s = TOps.Sqrt(TOps.Mul(TOps.Sub(TOps.Create(1), u), TOps.Add(TOps.Create(1), u)));
            TV slope = TOps.Sub(TOps.Create(Math.PI), TOps.Acos(u));
            TV j = TOps.Add(s, TOps.Mul(slope, u));
            TV scale = TOps.Create(InverseTwoPi);
            TV cc = TOps.Mul(TOps.Mul(x[0], x[2]), scale);
            TV rj = TOps.Mul(TOps.Mul(r, j), scale);
            TV rs = TOps.Mul(TOps.Mul(cc, TOps.Mul(r, s)), half);
            TV value = TOps.Mul(TOps.Mul(TOps.Mul(x[0], x[2]), TOps.Mul(r, j)), scale);
            g[0] = TOps.Mul(x[2], rj);
            g[1] = TOps.Div(rs, x[1]);
            g[2] = TOps.Mul(x[0], rj);
            g[3] = TOps.Div(rs, x[3]);
            g[4] = TOps.Mul(cc, slope);
            return value;
        }
    }

    private readonly struct Ops128 : IOps<Vector128<double>>
    {
        public static Vector128<double> Create(double value) => Vector128.Create(value);

        public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;

        public static Vector128<double> Sub(Vector128<double> a, Vector128<double> b) => a - b;

        public static Vector128<double> Mul(Vector128<double> a, Vector128<double> b) => a * b;

        public static Vector128<double> Div(Vector128<double> a, Vector128<double> b) => a / b;

        public static Vector128<double> Sqrt(Vector128<double> a) => Vector128.Sqrt(a);

        public static Vector128<double> Clamp(Vector128<double> a) => Vector128.Min(Vector128.Max(a, Vector128.Create(-1.0)), Vector128.Create(1.0));

        public static Vector128<double> Acos(Vector128<double> a) => SimdMath.Acos(a);
    }

    private readonly struct Ops256 : IOps<Vector256<double>>
    {
        public static Vector256<double> Create(double value) => Vector256.Create(value);

        public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;

        public static Vector256<double> Sub(Vector256<double> a, Vector256<double> b) => a - b;

        public static Vector256<double> Mul(Vector256<double> a, Vector256<double> b) => a * b;

        public static Vector256<double> Div(Vector256<double> a, Vector256<double> b) => a / b;

        public static Vector256<double> Sqrt(Vector256<double> a) => Vector256.Sqrt(a);

        public static Vector256<double> Clamp(Vector256<double> a) => Vector256.Min(Vector256.Max(a, Vector256.Create(-1.0)), Vector256.Create(1.0));

        public static Vector256<double> Acos(Vector256<double> a) => SimdMath.Acos(a);
    }

    private readonly struct Ops512 : IOps<Vector512<double>>
    {
        public static Vector512<double> Create(double value) => Vector512.Create(value);

        public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;

        public static Vector512<double> Sub(Vector512<double> a, Vector512<double> b) => a - b;

        public static Vector512<double> Mul(Vector512<double> a, Vector512<double> b) => a * b;

        public static Vector512<double> Div(Vector512<double> a, Vector512<double> b) => a / b;

        public static Vector512<double> Sqrt(Vector512<double> a) => Vector512.Sqrt(a);

        public static Vector512<double> Clamp(Vector512<double> a) => Vector512.Min(Vector512.Max(a, Vector512.Create(-1.0)), Vector512.Create(1.0));

        public static Vector512<double> Acos(Vector512<double> a) => SimdMath.Acos(a);
    }
}
