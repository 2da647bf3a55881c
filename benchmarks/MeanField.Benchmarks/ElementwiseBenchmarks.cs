using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using MeanField.Numerics;

namespace MeanField.Benchmarks;

/// <summary>
/// The elementwise functions of the generated code (issue 9, "elementwise cost") over 4096 doubles, one
/// function per parameter value: ours (<see cref="SimdMath"/> at Vector256 and Vector512) against the BCL
/// (<c>Vector256/512.Exp</c>/<c>Log</c>, and for the functions the BCL has no vector form of, the obvious composition
/// of them: log(1 + eˣ), 1/(1 + e^{−x})), <see cref="TensorPrimitives"/> (span API: Tanh, Exp, Log, Sigmoid; softplus
/// has none, so its row is the composition through TensorPrimitives.Exp and Log) and scalar <see cref="Math"/>.
/// Inputs: uniform in [−6, 6] (log: [0.01, 100]), the range activations see. Run:
/// <c>dotnet run -c Release --project benchmarks/MeanField.Benchmarks -- --filter '*Elementwise*' --job short</c>;
/// ns per 4096 elements (divide by 4096 for ns per element).
/// </summary>
public class ElementwiseBenchmarks
{
    private const int N = 4096;
    private readonly double[] input = new double[N];
    private readonly double[] output = new double[N];
    private readonly double[] scratch = new double[N];

    [Params("tanh", "exp", "log", "softplus", "logistic")]
    public string Function { get; set; } = "tanh";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        for (int i = 0; i < N; i++)
        {
            input[i] = Function == "log" ? Math.Pow(10, -2 + (4 * random.NextDouble())) : -6 + (12 * random.NextDouble());
        }
    }

    [Benchmark(Baseline = true)]
    public void Scalar()
    {
        switch (Function)
        {
            case "tanh": ScalarLoop<TanhFn>(); break;
            case "exp": ScalarLoop<ExpFn>(); break;
            case "log": ScalarLoop<LogFn>(); break;
            case "softplus": ScalarLoop<SoftplusFn>(); break;
            default: ScalarLoop<LogisticFn>(); break;
        }
    }

    [Benchmark]
    public void Ours256()
    {
        switch (Function)
        {
            case "tanh": Loop256<TanhFn>(); break;
            case "exp": Loop256<ExpFn>(); break;
            case "log": Loop256<LogFn>(); break;
            case "softplus": Loop256<SoftplusFn>(); break;
            default: Loop256<LogisticFn>(); break;
        }
    }

    [Benchmark]
    public void Ours512()
    {
        switch (Function)
        {
            case "tanh": Loop512<TanhFn>(); break;
            case "exp": Loop512<ExpFn>(); break;
            case "log": Loop512<LogFn>(); break;
            case "softplus": Loop512<SoftplusFn>(); break;
            default: Loop512<LogisticFn>(); break;
        }
    }

    /// <summary>BCL vector math at 256 bits; tanh has no Vector256.Tanh, so its row is sign(x)·(1 − e)/(1 + e),
    /// e = Vector256.Exp(−2|x|) (what one would write with the BCL alone).</summary>
    [Benchmark]
    public void Bcl256()
    {
        switch (Function)
        {
            case "tanh": Loop256<BclTanhFn>(); break;
            case "exp": Loop256<BclExpFn>(); break;
            case "log": Loop256<LogFn>(); break; // SimdMath.Log is the BCL's
            case "softplus": Loop256<BclSoftplusFn>(); break;
            default: Loop256<BclLogisticFn>(); break;
        }
    }

    /// <summary>BCL vector math at 512 bits, as <see cref="Bcl256"/>.</summary>
    [Benchmark]
    public void Bcl512()
    {
        switch (Function)
        {
            case "tanh": Loop512<BclTanhFn>(); break;
            case "exp": Loop512<BclExpFn>(); break;
            case "log": Loop512<LogFn>(); break;
            case "softplus": Loop512<BclSoftplusFn>(); break;
            default: Loop512<BclLogisticFn>(); break;
        }
    }

    [Benchmark]
    public void Tensor()
    {
        switch (Function)
        {
            case "tanh": TensorPrimitives.Tanh(input, output); break;
            case "exp": TensorPrimitives.Exp(input, output); break;
            case "log": TensorPrimitives.Log(input, output); break;
            case "softplus":
                TensorPrimitives.Exp(input, scratch);
                TensorPrimitives.Add(scratch, 1.0, scratch);
                TensorPrimitives.Log(scratch, output);
                break;
            default: TensorPrimitives.Sigmoid(input, output); break;
        }
    }

    private void ScalarLoop<F>() where F : IFn
    {
        for (int i = 0; i < N; i++)
        {
            output[i] = F.Scalar(input[i]);
        }
    }

    private void Loop256<F>() where F : IFn
    {
        ref double src = ref input[0];
        ref double dst = ref output[0];
        for (nuint i = 0; i < N; i += 4)
        {
            F.V256(Vector256.LoadUnsafe(ref src, i)).StoreUnsafe(ref dst, i);
        }
    }

    private void Loop512<F>() where F : IFn
    {
        ref double src = ref input[0];
        ref double dst = ref output[0];
        for (nuint i = 0; i < N; i += 8)
        {
            F.V512(Vector512.LoadUnsafe(ref src, i)).StoreUnsafe(ref dst, i);
        }
    }

    private interface IFn
    {
        static abstract double Scalar(double x);
        static abstract Vector256<double> V256(Vector256<double> x);
        static abstract Vector512<double> V512(Vector512<double> x);
    }

    private readonly struct TanhFn : IFn
    {
        public static double Scalar(double x) => Math.Tanh(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> V256(Vector256<double> x) => SimdMath.Tanh(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> V512(Vector512<double> x) => SimdMath.Tanh(x);
    }

    private readonly struct ExpFn : IFn
    {
        public static double Scalar(double x) => Math.Exp(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> V256(Vector256<double> x) => SimdMath.Exp(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> V512(Vector512<double> x) => SimdMath.Exp(x);
    }

    private readonly struct LogFn : IFn
    {
        public static double Scalar(double x) => Math.Log(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> V256(Vector256<double> x) => SimdMath.Log(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> V512(Vector512<double> x) => SimdMath.Log(x);
    }

    private readonly struct SoftplusFn : IFn
    {
        public static double Scalar(double x) => Math.Log(1 + Math.Exp(x)); // what a user writes (overflows above 709)
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> V256(Vector256<double> x) => SimdMath.Softplus(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> V512(Vector512<double> x) => SimdMath.Softplus(x);
    }

    private readonly struct LogisticFn : IFn
    {
        public static double Scalar(double x) => 1 / (1 + Math.Exp(-x));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> V256(Vector256<double> x) => SimdMath.Logistic(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> V512(Vector512<double> x) => SimdMath.Logistic(x);
    }

    private readonly struct BclExpFn : IFn
    {
        public static double Scalar(double x) => Math.Exp(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> V256(Vector256<double> x) => Vector256.Exp(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> V512(Vector512<double> x) => Vector512.Exp(x);
    }

    /// <summary>tanh through the BCL's exp: sign(x)·(1 − e)/(1 + e), e = e^{−2|x|} (loses relative accuracy near 0).</summary>
    private readonly struct BclTanhFn : IFn
    {
        public static double Scalar(double x) => Math.Tanh(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> V256(Vector256<double> x)
        {
            var e = Vector256.Exp(Vector256.Abs(x) * -2.0);
            return Vector256.CopySign((Vector256<double>.One - e) / (Vector256<double>.One + e), x);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> V512(Vector512<double> x)
        {
            var e = Vector512.Exp(Vector512.Abs(x) * -2.0);
            return Vector512.CopySign((Vector512<double>.One - e) / (Vector512<double>.One + e), x);
        }
    }

    private readonly struct BclSoftplusFn : IFn
    {
        public static double Scalar(double x) => Math.Log(1 + Math.Exp(x));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> V256(Vector256<double> x) => Vector256.Log(Vector256<double>.One + Vector256.Exp(x));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> V512(Vector512<double> x) => Vector512.Log(Vector512<double>.One + Vector512.Exp(x));
    }

    private readonly struct BclLogisticFn : IFn
    {
        public static double Scalar(double x) => 1 / (1 + Math.Exp(-x));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> V256(Vector256<double> x) => Vector256<double>.One / (Vector256<double>.One + Vector256.Exp(-x));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> V512(Vector512<double> x) => Vector512<double>.One / (Vector512<double>.One + Vector512.Exp(-x));
    }
}
