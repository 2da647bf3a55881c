using System.Globalization;
using MeanField.Samples;

namespace BirthDeathSample;

/// <summary>The sample's command line: <c>BirthDeath [--steps N] [--threads T] [--out DIR] [--seed S]</c>.</summary>
public static class BirthDeathApp
{
    /// <summary>The sample's name (usage, default folder artifacts/samples/birth-death).</summary>
    public const string Name = "birth-death";

    /// <summary>The result file's name in the output folder (kind <c>birth-death</c>).</summary>
    public const string ResultFileName = "birth-death.json";

    /// <summary>The plot's name in the output folder.</summary>
    public const string PlotFileName = "birth-death-energy.png";

    /// <summary>Runs the sample; returns the exit code (0, or 2 for a bad command line).</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">The report.</param>
    /// <param name="error">Errors and usage.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var defaults = new SampleArguments(BirthDeathProblem.Steps, Math.Min(Environment.ProcessorCount, 2), SampleHost.DefaultOutputDirectory(Name), 5);
        return SampleHost.Run(Name, args, defaults, SampleOptions.All, output, error, a => Body(a, output));
    }

    private static int Body(SampleArguments a, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"Birth–death on GaussianFeatures (σ = 0.2, d = 1): target bumps a = ({string.Join(", ", BirthDeathProblem.Amplitudes)}) at t = ({string.Join(", ", BirthDeathProblem.Centres)})"));
        output.WriteLine(string.Create(inv, $"n = {BirthDeathProblem.Particles} particles evenly over [{BirthDeathProblem.Low}, {BirthDeathProblem.High}] with c = 1; {a.Steps} steps of Δt = {BirthDeathProblem.StepSize} (T = {a.Steps * BirthDeathProblem.StepSize:0.##}), α = {BirthDeathProblem.Rate}, seed {a.Seed}, {a.Threads} thread(s)"));
        var bars = new Dictionary<string, LineProgress>();
        var result = BirthDeathProblem.Run(BirthDeathProblem.Particles, a.Steps, a.Threads, a.Seed, (method, step, energy) =>
        {
            if (!bars.TryGetValue(method, out var bar))
            {
                bars[method] = bar = new LineProgress(output, a.Steps, method.PadRight(19));
            }

            bar.Report(step, energy);
        });
        output.WriteLine();
        TextTable.Write(output, ["method", "E(0)", "E(T)", "E(T) / transport", "births", "deaths", "seconds"],
            result.Methods.Select(m => (IReadOnlyList<string>)
            [
                m.Method,
                m.InitialEnergy.ToString("0.000E+00", inv),
                m.FinalEnergy.ToString("0.000E+00", inv),
                (m.FinalEnergy / result.Methods[0].FinalEnergy).ToString("F3", inv),
                m.Births.ToString(inv),
                m.Deaths.ToString(inv),
                m.Seconds.ToString("F2", inv),
            ]));

        string json = Path.Combine(a.OutputDirectory, ResultFileName);
        string png = Path.Combine(a.OutputDirectory, PlotFileName);
        string sha = ResultFile.Write(json, Name, result);
        Plots.SaveLines(png, string.Create(inv, $"Gaussian features, n = {result.Particles}: energy against flow time"), "t", "E",
            result.Methods.Select(m => new PlotSeries(m.Method, m.Times, m.Energies)).ToArray(), logY: true);
        output.WriteLine($"Wrote {json} (sha256 {sha[..16]}…) and {png}.");
        return 0;
    }
}
