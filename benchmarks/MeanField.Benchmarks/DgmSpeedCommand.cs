using System.Diagnostics;
using System.Globalization;
using MeanField.Dgm;
using MeanField.Models;

namespace MeanField.Benchmarks;

/// <summary>
/// <c>-- dgm-speed [--steps 30 --warmup 5 --threads 1 --width 100 --depth 3 --batch 1000]</c>: training steps per second
/// on the generated d = 10 explicit game at the PyTorch peer's sizes, timed like the peer (<c>dgm_torch.py</c>: median
/// of timed steps after warm-up), and one network's forward pass (value, ∇u, Δu), values-only pass and forward + reverse pass (median and
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

        // The values-only pass of read-outs (specs/dgm.md §2.5): one forward pass without derivative channels, measured
        // directly, so that the cost of ∇u and Δu is the full pass over it.
        double[] values = Time(warmup, steps, () => network.ForwardValues(x, [], u));
        double valuesCpu = CpuSeconds(steps, () => network.ForwardValues(x, [], u));

        static double Median(double[] t) => Throughput.StepTimer.Median(t);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"dgm_step\",\"impl\":\"meanfield\",\"d\":{d},\"width\":{width},\"depth\":{depth},\"batch\":{batch},\"threads\":{options["threads"]},\"steps\":{steps},"
            + $"\"step_median_s\":{Median(step):G4},\"steps_per_s\":{1 / Median(step):G4},\"step_min_s\":{step[0]:G4},"
            + $"\"forward_median_ms\":{Median(forward) * 1e3:G4},\"forward_min_ms\":{forward[0] * 1e3:G4},\"forward_reverse_median_ms\":{Median(both) * 1e3:G4},\"forward_reverse_min_ms\":{both[0] * 1e3:G4},"
            + $"\"forward_cpu_ms\":{forwardCpu * 1e3:G4},\"forward_reverse_cpu_ms\":{bothCpu * 1e3:G4},\"forward_values_median_ms\":{Median(values) * 1e3:G4},\"forward_values_cpu_ms\":{valuesCpu * 1e3:G4},"
            + $"\"forward_laplacian_over_value_forward\":{forwardCpu / valuesCpu:G3},\"forward_reverse_over_value_forward\":{bothCpu / valuesCpu:G3}}}"));
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
