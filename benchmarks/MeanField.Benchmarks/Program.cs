using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using MeanField.Benchmarks;
using MeanField.Models;

// `-- w1 --L 4096 --d 64 --n 4096 --act tanh --threads 2 [--steps 15 --warmup 3 --schedule auto|streaming|cached --cache-mb 256 --block-kb 0]` times W1 like the
// peers (median of timed steps, one JSON line); `-- track` runs the suite with the tracking
// configuration and writes a result file, `-- compare <baseline> <current>` compares two,
// `-- merge --out F <run>...` makes a baseline of several runs, `-- scaling` fits the W1 step's cost against n, L, d,
// `-- mfg --N 10000 [--d 1 --repeats 5]` times the ergodic MFG Newton solve like the SciPy peer w2_mfg.py,
// `-- dgm [--d 10 --steps 20000 --every 250 --out F ...]` trains the DGM on the explicit ergodic example and prints its
// error table (specs/dgm.md §6.4), `-- dgm-crowd [--steps 20000 ...]` trains crowd trading by the finite-horizon trainer
// against the Riccati reference (§6.7), `-- dgm-m2 [--c 0.1|0.02 --steps 5000 ...]` trains the d = 30 m² example and prints its
// residual norms and marginals, against the d = 1 finite-difference solution (§6.5), `-- dgm-speed [--threads 1 --steps 30]` times its training step like the PyTorch peer,
// `-- interaction [--kernel hand|generated --threads 2 --steps 5 --schedule symmetric|ordered|both]` times the n × n
// interaction step (one JSON line per schedule),
// `-- peak [threads...]` measures the FP64 FMA peak (see benchmarks/README.md); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && (args[0] == "w1" || args[0] == "w1prof"))
{
    return W1Command.Run(args[0], args[1..], Console.Out, Console.Error);
}

if (args.Length > 0 && args[0] == "dgm-crowd")
{
    return DgmCrowdCommand.Run(args[1..], Console.Out);
}

if (args.Length > 0 && args[0] == "dgm-m2")
{
    return DgmSquareCommand.Run(args[1..], Console.Out);
}

if (args.Length > 0 && args[0] == "dgm")
{
    return DgmCommand.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "dgm-speed")
{
    return DgmSpeedCommand.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "mfg")
{
    return MfgBenchmarks.Run(args[1..], Console.Error);
}

if (args.Length > 0 && args[0] == "scaling")
{
    var options = W1Scaling.Defaults();
    return CommandOptions.TryRead("scaling", args.AsSpan(1), options) ? W1Scaling.Run(options, Console.Out) : 2;
}

if (args.Length > 0 && args[0] == "interaction")
{
    return InteractionBenchmarks.Command(args.AsSpan(1), Console.Out);
}

if (args.Length > 0 && args[0] == "peak")
{
    // The FP64 FMA peak of PeakFlopsBenchmarks, measured in-process (as PercentOfPeakColumn does without a peak row).
    foreach (string argument in args.Length > 1 ? args[1..] : ["1", "2"])
    {
        if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out int threads) || threads < 1 || threads > Environment.ProcessorCount * 4)
        {
            Console.Error.WriteLine($"peak: thread count '{argument}' must be an integer from 1 to {Environment.ProcessorCount * 4}");
            return 2;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"impl\": \"csharp-fma\", \"vector\": \"{MeanField.Benchmarks.Throughput.PeakFlops.VectorName}\", \"accumulators\": {MeanField.Benchmarks.Throughput.PeakFlops.Accumulators}, \"threads\": {threads}, \"gflops\": {MeanField.Benchmarks.Throughput.PeakFlops.MeasureGflops(threads):F1}}}"));
    }

    return 0;
}

if (args.Length > 0 && args[0] == "track")
{
    return TrackingCommands.Track(args[1..]);
}

if (args.Length > 0 && args[0] == "merge")
{
    return TrackingCommands.Merge(args[1..]);
}

if (args.Length > 0 && args[0] == "compare")
{
    return TrackingCommands.Compare(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(W1StepBenchmarks).Assembly).Run(args);
return 0;
