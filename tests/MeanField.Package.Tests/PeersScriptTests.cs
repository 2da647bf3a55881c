using MeanField.Package.Tests.Infrastructure;

namespace MeanField.Package.Tests;

/// <summary>
/// benchmarks/peers.sh, the side-by-side comparison with the NumPy/PyTorch peers (benchmarks/README.md): bad options are
/// refused with exit code 2 and a message naming them, before anything is built or run; the table it prints from a
/// run's JSON lines has the ratio, GFLOP/s, fraction of peak and thread scaling computed by hand below. Runs no peer.
/// </summary>
public sealed class PeersScriptTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static ProcessResult Peers(params string[] arguments)
        => ProcessRunner.Run("bash", ["benchmarks/peers.sh", .. arguments], Repository.Root, Timeout);

    [Theory]
    [InlineData("4096,64")]
    [InlineData("4096,64,0")]
    [InlineData("a,b,c")]
    [InlineData("4096,64,4096,1")]
    [InlineData("4096;64;4096")]
    public void AMalformedShapeIsRefusedBeforeAnythingRuns(string shape)
    {
        // The peers' folder is one that does not exist: the shape check must come first, so this is exit 2 for the shape.
        var result = Peers("--peers", "/nonexistent-peers", "--shapes", $"1024,32,1024 {shape}");
        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains($"--shapes: '{shape}' is not L,d,n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownOptionIsNamed()
    {
        var result = Peers("--shape", "1024,32,1024");
        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains("unknown option '--shape'", result.Output, StringComparison.Ordinal);
        Assert.Contains("--shapes", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void HelpShowsTheHeaderOnly()
    {
        var result = ProcessRunner.Succeed(Peers("--help"));
        Assert.Contains("--shapes \"L,d,n …\"", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("set -euo", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTableIsComputedFromTheRunsLines()
    {
        // One case, (L, d, n) = (4096, 64, 4096): 4·L·n·d = 4 294 967 296 flops per step. Ours 10 steps/s on 2 threads
        // (42.9 GFLOP/s, 43 % of the 100 GFLOP/s peak), 5.5 on one (1.82×); NumPy 4, PyTorch 5: 10 / 5 = 2.00×.
        // A second case has no line of ours and must not appear. The 1-thread peak and the C# peak are only reported.
        string[] lines =
        [
            """{"bench": "peak_fp64", "threads": 1, "kernel": "avx512_fma", "gflops_median": 50.0}""",
            """{"bench": "peak_fp64", "threads": 2, "kernel": "avx512_fma", "gflops_median": 100.0}""",
            """{"bench": "peak_fp64", "threads": 2, "kernel": "avx2_fma", "gflops_median": 60.0}""",
            """{"impl": "csharp-fma", "threads": 2, "gflops": 98.0}""",
            """{"impl": "meanfield", "L": 4096, "d": 64, "n": 4096, "act": "tanh", "threads": 2, "used": "cached", "steps_per_s": 10.0}""",
            """{"impl": "meanfield", "L": 4096, "d": 64, "n": 4096, "act": "tanh", "threads": 1, "used": "cached", "steps_per_s": 5.5}""",
            """{"bench": "w1", "peer": "numpy", "L": 4096, "d": 64, "n": 4096, "act": "tanh", "steps_per_s_median": 4.0}""",
            """{"bench": "w1", "peer": "torch_manual", "L": 4096, "d": 64, "n": 4096, "act": "tanh", "steps_per_s_median": 5.0}""",
            """{"bench": "w1", "peer": "numpy", "L": 1024, "d": 256, "n": 16384, "act": "relu", "steps_per_s_median": 3.0}""",
        ];
        string file = Path.Combine(Path.GetTempPath(), $"peers-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(file, lines);
        try
        {
            var result = ProcessRunner.Succeed(Peers("--summarize", file));
            Assert.Contains("FP64 peak, 2 threads: C 100.0 GFLOP/s (1 thread 50.0)", result.Output, StringComparison.Ordinal);
            Assert.Contains("| 4096, 64, 4096 | tanh | 10.00 (cached) | 4.00 | 5.00 | 2.00× | 43 | 43 % | 1.82× |", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("1024, 256, 16384", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
