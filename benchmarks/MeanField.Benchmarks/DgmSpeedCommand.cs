using System.Diagnostics;
using System.Globalization;
using MeanField.Dgm;
using MeanField.Models;

namespace MeanField.Benchmarks;

/// <summary>
/// <c>-- dgm-speed [--steps 30 --warmup 5 --threads 1 --width 100 --depth 3 --batch 1000]</c>: training steps per second
/// on the generated d = 10 explicit game at the PyTorch peer's sizes, timed like the peer (<c>dgm_torch.py</c>: median
/// of timed steps after warm-up), and one network's forward pass (value, ∇u, Δu) and forward + reverse pass (median and
/// minimum), as one JSON line, so it can be run back to back with the peer.
/// </summary>
internal static class DgmSpeedCommand
{
    public static int Run(string[] args) => Run(args, Console.Error);

    /// <summary>The command with its error lines to <paramref name="error"/> (the tests' entry).</summary>
    internal static int Run(string[] args, TextWriter error)
    {
        var text = new Dictionary<string, string> { ["steps"] = "30", ["warmup"] = "5", ["threads"] = "1", ["width"] = "100", ["depth"] = "3", ["batch"] = "1000" };
        var options = new Dictionary<string, int>();
        if (!CommandOptions.TryRead("dgm-speed", args, text))
        {
            return 2;
        }

        foreach (string key in text.Keys)
        {
            if (!CommandOptions.TryInt("dgm-speed", text, key, 1, error, out int value))
            {
                return 2;
            }

            options[key] = value;
        }

        int width = options["width"], depth = options["depth"], batch = options["batch"], steps = options["steps"], warmup = options["warmup"];
        var trainer = new ErgodicDgmTrainer<ExplicitErgodicGame10D>(width, depth, batch, seed: 0, threads: options["threads"]);
        double[] step = Time(warmup, steps, () => trainer.Step());

        const int d = 10;
        var network = new LaplacianNetwork(d, width, depth, InputEmbedding.Periodic, hasTime: false, seed: 1);
        var random = new Random(2);
        double[] x = [.. Enumerable.Range(0, batch * d).Select(_ => random.NextDouble())];
        double[] u = new double[batch], g = new double[batch * d], l = new double[batch], theta = new double[network.ParameterCount];
        double[] forward = Time(warmup, steps, () => network.Forward(x, [], u, g, l, []));
        double forwardCpu = CpuSeconds(steps, () => network.Forward(x, [], u, g, l, []));
        void Both()
        {
            network.Forward(x, [], u, g, l, []);
            network.Backward(u, g, l, [], theta);
        }

        double[] both = Time(warmup, steps, Both);
        double bothCpu = CpuSeconds(steps, Both);

        // The same network in d = 1 carries 3 channels (value, ∂u, Δu) instead of d + 2 = 12: with forward time
        // a + b·channels, the value alone costs a + b (the first layer's 2d-feature product is the only other difference).
        var one = new LaplacianNetwork(1, width, depth, InputEmbedding.Periodic, hasTime: false, seed: 1);
        double[] x1 = [.. x.Take(batch)], g1 = new double[batch];
        double[] forward1 = Time(warmup, steps, () => one.Forward(x1, [], u, g1, l, []));
        double forward1Cpu = CpuSeconds(steps, () => one.Forward(x1, [], u, g1, l, []));
        double perChannel = (forwardCpu - forward1Cpu) / (d + 2 - 3), valueOnly = forward1Cpu - (2 * perChannel);

        static double Median(double[] t) => Throughput.StepTimer.Median(t);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"dgm_step\",\"impl\":\"meanfield\",\"d\":{d},\"width\":{width},\"depth\":{depth},\"batch\":{batch},\"threads\":{options["threads"]},\"steps\":{steps},"
            + $"\"step_median_s\":{Median(step):G4},\"steps_per_s\":{1 / Median(step):G4},\"step_min_s\":{step[0]:G4},"
            + $"\"forward_median_ms\":{Median(forward) * 1e3:G4},\"forward_min_ms\":{forward[0] * 1e3:G4},\"forward_reverse_median_ms\":{Median(both) * 1e3:G4},\"forward_reverse_min_ms\":{both[0] * 1e3:G4},"
            + $"\"forward_cpu_ms\":{forwardCpu * 1e3:G4},\"forward_reverse_cpu_ms\":{bothCpu * 1e3:G4},\"forward_d1_min_ms\":{forward1[0] * 1e3:G4},\"forward_d1_cpu_ms\":{forward1Cpu * 1e3:G4},"
            + $"\"value_only_forward_cpu_ms_estimate\":{valueOnly * 1e3:G4},\"forward_laplacian_over_value_forward\":{forwardCpu / valueOnly:G3},\"forward_reverse_over_value_forward\":{bothCpu / valueOnly:G3}}}"));
        return 0;
    }

    /// <summary>The process's CPU seconds per call of <paramref name="action"/> (less sensitive than wall time to other load on the machine).</summary>
    private static double CpuSeconds(int count, Action action)
    {
        TimeSpan start = Process.GetCurrentProcess().TotalProcessorTime;
        for (int k = 0; k < count; k++)
        {
            action();
        }

        return (Process.GetCurrentProcess().TotalProcessorTime - start).TotalSeconds / count;
    }

    private static double[] Time(int warmup, int count, Action action) => Throughput.StepTimer.Seconds(warmup, count, action);
}
