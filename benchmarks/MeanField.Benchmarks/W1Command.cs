using System.Diagnostics;
using System.Globalization;
using MeanField.Models;

namespace MeanField.Benchmarks;

/// <summary>
/// <c>-- w1 --L 4096 --d 64 --n 4096 --act tanh --threads 2 [--steps 15 --warmup 3 --schedule auto|streaming|cached
/// --cache-mb 256 --block-kb 0]</c>: the W1 step timed like the peers (median of timed steps, one JSON line);
/// <c>-- w1prof</c> with the same options: the step's parts (<see cref="W1Profile"/>). Bad options exit 2 with a line
/// naming the option and the value.
/// </summary>
internal static class W1Command
{
    private static readonly string[] Activations = ["tanh", "relu", "sigmoid", "softplus", "bump"];

    public static int Run(string command, ReadOnlySpan<string> args, TextWriter output, TextWriter error)
    {
        var options = new Dictionary<string, string>
        {
            ["L"] = "4096", ["d"] = "64", ["n"] = "4096", ["act"] = "tanh", ["threads"] = "2", ["steps"] = "15", ["warmup"] = "3",
            ["cache-mb"] = "256", ["schedule"] = "auto", ["block-kb"] = "0",
        };
        if (!CommandOptions.TryRead(command, args, options)
            || !CommandOptions.TryInt(command, options, "L", 1, error, out int samples)
            || !CommandOptions.TryInt(command, options, "d", 1, error, out int dimension)
            || !CommandOptions.TryInt(command, options, "n", 1, error, out int particles)
            || !CommandOptions.TryInt(command, options, "threads", 1, error, out int threads)
            || !CommandOptions.TryInt(command, options, "steps", 1, error, out int steps)
            || !CommandOptions.TryInt(command, options, "warmup", 0, error, out int warmup)
            || !CommandOptions.TryInt(command, options, "cache-mb", 0, error, out int cacheMb)
            || !CommandOptions.TryInt(command, options, "block-kb", 0, error, out int blockKb))
        {
            return 2;
        }

        string activation = options["act"];
        if (!Activations.Contains(activation) || (command == "w1prof" && activation is not ("tanh" or "relu")))
        {
            error.WriteLine($"{command}: --act must be one of {string.Join(", ", command == "w1prof" ? ["tanh", "relu"] : Activations)} (got '{activation}')");
            return 2;
        }

        if (!Enum.TryParse(options["schedule"], ignoreCase: true, out PairSchedule schedule) || !Enum.IsDefined(schedule))
        {
            error.WriteLine($"{command}: --schedule must be auto, streaming or cached (got '{options["schedule"]}')");
            return 2;
        }

        try
        {
            if (command == "w1prof")
            {
                if (activation == "relu")
                {
                    W1Profile.Run<ReluNetwork>(samples, dimension, particles, threads, steps);
                }
                else
                {
                    W1Profile.Run<TanhNetwork>(samples, dimension, particles, threads, steps);
                }

                return 0;
            }

            (IDisposable, Func<double>, Func<bool>) Create<TModel>()
                where TModel : struct, INetworkModel<TModel>
                => W1StepBenchmarks.CreateWithSchedule<TModel>(samples, dimension, particles, threads, schedule, (long)cacheMb << 20, (long)blockKb << 10);
            var (flow, step, usedCache) = activation switch
            {
                "relu" => Create<ReluNetwork>(),
                "sigmoid" => Create<SigmoidNetwork>(),
                "softplus" => Create<SoftplusNetwork>(),
                "bump" => Create<GaussianBumpNetwork>(),
                _ => Create<TanhNetwork>(),
            };
            using (flow)
            {
                double median = Throughput.StepTimer.Median(Throughput.StepTimer.Seconds(warmup, steps, () => step()));
                double flops = 4.0 * samples * particles * dimension;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"impl\": \"meanfield\", \"L\": {samples}, \"d\": {dimension}, \"n\": {particles}, \"act\": \"{activation}\", \"threads\": {threads}, \"schedule\": \"{options["schedule"]}\", \"used\": \"{(usedCache() ? "cached" : "streaming")}\", \"median_s\": {median:G6}, \"steps_per_s\": {1 / median:G4}, \"gflops_min4\": {flops / median / 1e9:G4}, \"peak_working_set_mb\": {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0}}}"));
            }

            return 0;
        }
        catch (Exception e) when (e is ArgumentException or OutOfMemoryException)
        {
            // The library's own checks (sizes whose products overflow, a thread count it refuses) name the argument.
            error.WriteLine($"{command}: {e.Message}");
            return 2;
        }
    }
}
