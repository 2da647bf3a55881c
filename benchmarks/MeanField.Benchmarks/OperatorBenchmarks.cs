using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using MeanField.Models;

namespace MeanField.Benchmarks;

/// <summary>
/// The generated operators on their own: ∇φ of the tanh ridge and of the Gaussian bump over 4096
/// (sample, particle) pairs, scalar against Vector256 and Vector512. Tracks the quality of the
/// emitted code (CSE, vectorised elementary functions) over time.
/// </summary>
public class OperatorBenchmarks
{
    private const int Pairs = 4096;
    private double[][] inputs = [];
    private double[][] gradient = [];

    [Params("tanh", "bump")]
    public string Model { get; set; } = "tanh";

    [GlobalSetup]
    public void Setup()
    {
        int m = Model == "tanh" ? INetworkModelInfo<TanhNetwork>.InputCount : INetworkModelInfo<GaussianBumpNetwork>.InputCount;
        var random = new Random(1);
        inputs = Enumerable.Range(0, m).Select(_ => Enumerable.Range(0, Pairs).Select(_ => 0.5 + random.NextDouble()).ToArray()).ToArray();
        gradient = Enumerable.Range(0, m).Select(_ => new double[Pairs]).ToArray();
    }

    [Benchmark(Baseline = true)]
    public void Scalar()
    {
        if (Model == "tanh") Scalar<TanhNetwork>(); else Scalar<GaussianBumpNetwork>();
    }

    [Benchmark]
    public void Vector256()
    {
        if (Model == "tanh") Vector256<TanhNetwork>(); else Vector256<GaussianBumpNetwork>();
    }

    [Benchmark]
    public void Vector512()
    {
        if (Model == "tanh") Vector512<TanhNetwork>(); else Vector512<GaussianBumpNetwork>();
    }

    private void Scalar<TModel>() where TModel : struct, INetworkModel<TModel>
    {
        int m = inputs.Length;
        Span<double> x = stackalloc double[m];
        Span<double> g = stackalloc double[m];
        for (int p = 0; p < Pairs; p++)
        {
            for (int k = 0; k < m; k++)
            {
                x[k] = inputs[k][p];
            }

            TModel.UnitGradient(x, g);
            for (int k = 0; k < m; k++)
            {
                gradient[k][p] = g[k];
            }
        }
    }

    private void Vector256<TModel>() where TModel : struct, INetworkModel<TModel>
    {
        int m = inputs.Length;
        Span<Vector256<double>> x = stackalloc Vector256<double>[m];
        Span<Vector256<double>> g = stackalloc Vector256<double>[m];
        for (int p = 0; p < Pairs; p += 4)
        {
            for (int k = 0; k < m; k++)
            {
                x[k] = System.Runtime.Intrinsics.Vector256.Create(inputs[k].AsSpan(p, 4));
            }

            TModel.UnitGradient(x, g);
            for (int k = 0; k < m; k++)
            {
                g[k].CopyTo(gradient[k].AsSpan(p, 4));
            }
        }
    }

    private void Vector512<TModel>() where TModel : struct, INetworkModel<TModel>
    {
        int m = inputs.Length;
        Span<Vector512<double>> x = stackalloc Vector512<double>[m];
        Span<Vector512<double>> g = stackalloc Vector512<double>[m];
        for (int p = 0; p < Pairs; p += 8)
        {
            for (int k = 0; k < m; k++)
            {
                x[k] = System.Runtime.Intrinsics.Vector512.Create(inputs[k].AsSpan(p, 8));
            }

            TModel.UnitGradient(x, g);
            for (int k = 0; k < m; k++)
            {
                g[k].CopyTo(gradient[k].AsSpan(p, 8));
            }
        }
    }

    private static class INetworkModelInfo<TModel> where TModel : struct, INetworkModel<TModel>
    {
        public static int InputCount => TModel.Layout.InputCount;
    }
}
