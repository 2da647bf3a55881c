using BirthDeathSample;
using MeanField.Samples;
using Xunit.Abstractions;

namespace MeanField.Runtime.Tests.Samples;

/// <summary>samples/BirthDeath (specs/particles.md §7.2): birth–death beats pure transport in the same time.</summary>
public sealed class BirthDeathSampleTests(ITestOutputHelper output)
{
    /// <summary>
    /// n = 64 particles, 400 steps (T = 4): both birth–death methods end below a quarter of the transport energy (the full
    /// sample measures about 1/15), every energy falls, and the weighted run keeps its mass to rounding.
    /// </summary>
    [Fact]
    public void ReducedRunBirthDeathEndsWellBelowTransport()
    {
        var result = BirthDeathProblem.Run(particles: 64, steps: 400, threads: 2, seed: 5);
        foreach (var m in result.Methods)
        {
            output.WriteLine($"{m.Method}: E(0) = {m.InitialEnergy:G4}, E(T) = {m.FinalEnergy:G4}, births {m.Births}, deaths {m.Deaths}");
        }

        Assert.Equal(["transport", "constant-population", "weighted"], result.Methods.Select(m => m.Method));
        var (transport, constant, weighted) = (result.Methods[0], result.Methods[1], result.Methods[2]);
        Assert.All(result.Methods, m => Assert.Equal(transport.InitialEnergy, m.InitialEnergy, 15));
        Assert.All(result.Methods, m => Assert.True(m.FinalEnergy < 0.5 * m.InitialEnergy, $"{m.Method}: {m.InitialEnergy} → {m.FinalEnergy}"));
        Assert.True(constant.FinalEnergy < 0.25 * transport.FinalEnergy, $"constant population {constant.FinalEnergy} against transport {transport.FinalEnergy}");
        Assert.True(weighted.FinalEnergy < 0.25 * transport.FinalEnergy, $"weighted {weighted.FinalEnergy} against transport {transport.FinalEnergy}");
        Assert.Equal(0, transport.Births + transport.Deaths);
        Assert.True(constant.Births + constant.Deaths > 0);
        Assert.Equal(1.0, weighted.TotalMass, 10);
        Assert.Equal(4.0, transport.Times[^1], 12);
    }

    [Fact]
    public void CommandLineRunWritesAChecksummedResultAndAPng()
    {
        using var folder = new SampleFolder();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = BirthDeathApp.Run(["--out", folder.Path, "--steps", "100", "--threads", "2"], stdout, stderr);

        Assert.True(code == 0, stderr.ToString());
        Assert.Equal(string.Empty, stderr.ToString());
        Assert.Contains("E(T) / transport", stdout.ToString(), StringComparison.Ordinal);
        var result = ResultFile.Read<BirthDeathResult>(folder.File(BirthDeathApp.ResultFileName), BirthDeathApp.Name);
        Assert.Equal(3, result.Methods.Length);
        Assert.Equal(100, result.Steps);
        Assert.All(result.Methods, m => Assert.Equal(m.Times.Length, m.Energies.Length));
        SampleFolder.AssertPng(folder.File(BirthDeathApp.PlotFileName));
        Assert.Equal(2, Directory.GetFiles(folder.Path).Length);
    }
}
