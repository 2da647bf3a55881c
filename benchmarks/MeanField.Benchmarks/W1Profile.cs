using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MeanField.Benchmarks.Workloads;

namespace MeanField.Benchmarks;

/// <summary>
/// `w1prof`: where a W1 step's time goes — the forward pass alone (Loss), forward + backward
/// (WassersteinGradient), and the generated operators alone over L·n pairs on one thread
/// (φ and ∇φ, Vector512), so the tile products' share can be read off as the rest.
/// </summary>
internal static class W1Profile
{
    public static void Run<TModel>(int samples, int dimension, int particles, int threads, int steps)
        where TModel : struct, INetworkModel<TModel>
    {
        var set = W1Workload.Particles<TModel>(particles, dimension);
        var data = W1Workload.Samples(samples, dimension);
        var velocity = set.Clone();
        using var evaluator = new NetworkEvaluator<TModel>(threads) { Schedule = PairSchedule.Streaming };
        double forward = Median(steps, () => evaluator.Loss(set, data));
        double full = Median(steps, () => evaluator.WassersteinGradient(set, data, velocity));
        var cachedVelocity = set.Clone();
        evaluator.PairCacheBudgetBytes = long.MaxValue;
        evaluator.Schedule = PairSchedule.Cached;
        double cachedLoss = evaluator.WassersteinGradient(set, data, cachedVelocity);
        double cached = Median(steps, () => evaluator.WassersteinGradient(set, data, cachedVelocity));
        bool identical = evaluator.LastGradientUsedPairCache
            && cachedLoss == evaluator.Loss(set, data)
            && velocity.Values.SequenceEqual(cachedVelocity.Values);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cached schedule: step(no update) {cached * 1e3:F2} ms, bit-identical to streaming: {identical}"));

        int m = TModel.Layout.InputCount;
        var inputs = new Vector512<double>[m];
        var gradient = new Vector512<double>[m];
        for (int k = 0; k < m; k++)
        {
            inputs[k] = Vector512.Create(0.1, -0.3, 0.5, 0.7, -0.9, 1.1, 1.3, -1.5);
        }

        long vectors = (long)samples * particles / 8;
        double unit = Median(3, () =>
        {
            Vector512<double> s = Vector512<double>.Zero;
            Vector512<double> delta = Vector512.Create(1e-9);
            for (long v = 0; v < vectors; v++)
            {
                s += TModel.Unit(inputs);
                inputs[m - 1] += delta;
            }

            return Vector512.Sum(s);
        });
        double grad = Median(3, () =>
        {
            Vector512<double> s = Vector512<double>.Zero;
            Vector512<double> delta = Vector512.Create(1e-9);
            for (long v = 0; v < vectors; v++)
            {
                TModel.UnitGradient(inputs, gradient);
                s += gradient[0] + gradient[m - 1];
                inputs[m - 1] += delta;
            }

            return Vector512.Sum(s);
        });
        double gemm = 2.0 * samples * particles * dimension;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"forward {forward * 1e3:F2} ms, backward {(full - forward) * 1e3:F2} ms, step(no update) {full * 1e3:F2} ms; " +
            $"1 thread: Unit over L·n {unit * 1e3:F2} ms, UnitGradient {grad * 1e3:F2} ms; one GEMM-equivalent at 200 GF/s {gemm / 200e9 * 1e3:F2} ms"));
    }

    private static double Median(int count, Func<double> action)
    {
        action();
        var times = new List<double>();
        for (int k = 0; k < count; k++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        times.Sort();
        return times[0]; // min: the machine is shared and noisy
    }
}
