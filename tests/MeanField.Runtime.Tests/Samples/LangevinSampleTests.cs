using LangevinSample;
using MeanField.Samples;
using Xunit.Abstractions;

namespace MeanField.Runtime.Tests.Samples;

/// <summary>samples/Langevin (specs/particles.md §7.1): the law reaches the closed-form Gibbs measure N(2/3, 0.2).</summary>
public sealed class LangevinSampleTests(ITestOutputHelper output)
{
    /// <summary>
    /// n = 400, 1200 steps (burn-in 450, then T = 7.5 of averages). Tolerances are 4 standard deviations of the Monte-Carlo
    /// error plus the Euler bias: the empirical mean is an OU process of rate a + σ²/(2s²) = 1.5 and variance 1/(3n), so its
    /// time average has standard deviation √(2·(1/(3n))/(1.5·T)) = 0.012 (tolerance ±0.05); the variance's relative error
    /// is √(2/(λnT)) = 1.6 % with λ = a + κ + σ²/(2s²) = 2.5, and the Euler bias λΔt/2 = +1.25 % (ratio in [0.945, 1.08]).
    /// </summary>
    [Fact]
    public void ReducedRunReachesTheClosedFormGibbsMoments()
    {
        var result = LangevinProblem.Run(particles: 400, steps: 1200, threads: 2, seed: 1);
        output.WriteLine($"mean {result.MeasuredMean:G6} (Gibbs {result.GibbsMean:G6}), variance {result.MeasuredVariance:G6} (Gibbs {result.GibbsVariance:G6}), TV {result.TotalVariation:G4}");

        Assert.Equal(2.0 / 3.0, result.GibbsMean, 15);
        Assert.Equal(0.2, result.GibbsVariance, 15);
        Assert.InRange(result.MeasuredMean, result.GibbsMean - 0.05, result.GibbsMean + 0.05);
        Assert.InRange(result.MeasuredVariance / result.GibbsVariance, 0.945, 1.08);
        Assert.InRange(result.TotalVariation, 0, 0.05);
        Assert.Equal(LangevinProblem.Bins + 1, result.HistogramEdges.Length);
        double mass = result.HistogramDensity.Sum() * (result.HistogramEdges[1] - result.HistogramEdges[0]);
        Assert.InRange(mass, 0.99, 1.0); // ±4 standard deviations hold all but ~6e-5 of the law
    }

    [Fact]
    public void TheGibbsDensityIsTheNormalDensityOfTheClosedForm()
    {
        // Integrates to 1 (trapezoid over ±8 sd) and peaks at the mean with 1/√(2π·0.2).
        double sd = Math.Sqrt(LangevinProblem.GibbsVariance), h = sd / 200, sum = 0;
        for (double x = LangevinProblem.GibbsMean - (8 * sd); x <= LangevinProblem.GibbsMean + (8 * sd); x += h)
        {
            sum += LangevinProblem.GibbsDensity(x) * h;
        }

        Assert.Equal(1.0, sum, 6);
        Assert.Equal(1 / Math.Sqrt(2 * Math.PI * 0.2), LangevinProblem.GibbsDensity(2.0 / 3.0), 12);
    }

    [Fact]
    public void CommandLineRunWritesAChecksummedResultAndAPng()
    {
        using var folder = new SampleFolder();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = LangevinApp.Run(["--steps", "160", "--threads", "1", "--seed", "3", "--out", folder.Path], stdout, stderr);

        Assert.True(code == 0, stderr.ToString());
        Assert.Equal(string.Empty, stderr.ToString());
        string text = stdout.ToString();
        Assert.Contains("100 %  step    160 / 160", text, StringComparison.Ordinal);
        Assert.Contains("variance", text, StringComparison.Ordinal);
        var result = ResultFile.Read<LangevinResult>(folder.File(LangevinApp.ResultFileName), LangevinApp.Name);
        Assert.Equal(160, result.Steps);
        Assert.Equal(3UL, result.Seed);
        Assert.Equal(LangevinProblem.Particles, result.Particles);
        Assert.Equal(result.HistogramEdges.Length, result.HistogramDensity.Length + 1);
        SampleFolder.AssertPng(folder.File(LangevinApp.PlotFileName));
        Assert.Equal(2, Directory.GetFiles(folder.Path).Length); // no temporary file left behind
    }
}
