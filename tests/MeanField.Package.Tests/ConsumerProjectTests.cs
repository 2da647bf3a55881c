using System.Globalization;
using System.Text.Json;
using MeanField.Package.Tests.Infrastructure;

namespace MeanField.Package.Tests;

/// <summary>
/// The package consumed like a user would: a fresh `dotnet new console` project in a temporary folder outside
/// the solution, with its own nuget.config adding the folder `dotnet pack` wrote to, `dotnet add package MeanField`,
/// a model (Consumer/Model.cs), an interaction energy (Consumer/Kernel.cs), a game (Consumer/Game.cs) and a Program
/// (Consumer/Program.cs) that trains with GradientFlow, checks generated gradients, runs its own interaction energy
/// through the exact and Random Batch evaluators, mean-field Langevin and both birth–death modes, and solves its own
/// game declared by its Hamiltonian and by its Lagrangian. No project references: everything comes from the .nupkg.
/// </summary>
[Collection(PackageCollection.Name)]
[Trait("Category", "Package")]
public sealed class ConsumerProjectTests(PackageFixture package)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void ConsoleProjectTrainsAModelFromThePackage()
    {
        string folder = NewConsumer("consumer");
        var env = package.Environment;

        foreach (string name in new[] { "Model.cs", "Kernel.cs", "Game.cs", "Program.cs" })
        {
            File.Copy(Repository.PathOf($"tests/MeanField.Package.Tests/Consumer/{name}"), Path.Combine(folder, name), overwrite: true);
        }

        // Warnings are errors: the generated code must compile cleanly in a user's project.
        ProcessRunner.Succeed(ProcessRunner.Dotnet(folder, StepTimeout, env, "build", "-c", "Release", "-warnaserror"));
        var run = ProcessRunner.Succeed(ProcessRunner.Dotnet(folder, StepTimeout, env, "run", "-c", "Release", "--no-build"));

        var lines = run.Output.Split('\n', StringSplitOptions.TrimEntries)
            .Where(l => l.Contains(": ", StringComparison.Ordinal))
            .GroupBy(l => l[..l.IndexOf(": ", StringComparison.Ordinal)])
            .ToDictionary(g => g.Key, g => g.Last()[(g.Key.Length + 2)..]);
        string Value(string key) => lines.TryGetValue(key, out var v) ? v : throw new Xunit.Sdk.XunitException($"The program printed no '{key}:' line.\n{run.Describe()}");

        // Trained: the loss fell at least 10-fold (about 33-fold at these seeds; the random start is seeded).
        double ratio = double.Parse(Value("loss-ratio"), CultureInfo.InvariantCulture);
        Assert.True(ratio >= 10, $"The loss fell only {ratio:F1}-fold.\n{run.Describe()}");
        Assert.StartsWith("MaxSteps", Value("stop"), StringComparison.Ordinal);

        // Generated ∂φ/∂θ, ∂φ/∂x and ∇U agree with central differences (h = 1e-6: error ~1e-10).
        double error = double.Parse(Value("gradient-max-error"), CultureInfo.InvariantCulture);
        Assert.True(error < 1e-7, $"Generated gradient differs from finite differences by {error:E2}.\n{run.Describe()}");

        // The consumer's own interaction energy (Consumer/Kernel.cs): generated ∇K, ∇F, ∇U agree with central
        // differences of its methods (h = 1e-6: error ~1e-10), and |r − r′|² is a squared-distance pair channel.
        double kernelError = double.Parse(Value("kernel-gradient-max-error"), CultureInfo.InvariantCulture);
        Assert.True(kernelError < 1e-7, $"Generated kernel gradient differs from finite differences by {kernelError:E2}.\n{run.Describe()}");
        Assert.Equal("SquaredDistance,Dot", Value("kernel-pair-kinds"));

        // Its 1/√((1 + |v|²)(1 + |v′|²)) became per-particle side values (specs/interactions.md, "Side values"): the
        // gradient check above and every evaluator path below read them, through the package alone.
        Assert.True(int.Parse(Value("kernel-side-values"), CultureInfo.InvariantCulture) >= 1, $"No side values.\n{run.Describe()}");

        // The same energy through every runtime path with no other code (issue 8, must-show). Exact: n² = 48² kernel
        // evaluations, and ∂E/∂θ_i = w_i ∇θV(θ_i) against central differences of E (h = 1e-5: truncation ~h²·E‴ ≈ 1e-10,
        // rounding ~ε·E/h ≈ 4e-11, relative to |∂E| ≥ 1e-3 → ≤ 1e-7; measured 5e-8). Random Batch (p = 8): n·p pairs plus
        // n self-pair reweightings = 432.
        Assert.Equal("2304", Value("exact-kernel-evaluations"));
        double fdError = double.Parse(Value("exact-gradient-fd-error"), CultureInfo.InvariantCulture);
        Assert.True(fdError < 1e-6, $"The evaluator's gradient differs from finite differences of E by {fdError:E2}.\n{run.Describe()}");
        Assert.Equal("432", Value("rbm-kernel-evaluations"));

        // Langevin on the Random Batch evaluator and both birth–death modes on the exact one, 300 steps of 0.01 from
        // E(0) ≈ 1.84: each finishes its steps and lowers the energy (measured to −0.06, −0.15, −0.14; σ = 0.05 noise
        // adds ~σ²/2 per component, far below the drop, so a check of "at least halved" cannot pass by noise).
        double[] Numbers(string key) => [.. Value(key).Split(' ').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
        foreach (string key in new[] { "rbm-langevin", "birth-death-ConstantPopulation", "birth-death-Weighted" })
        {
            Assert.StartsWith("MaxSteps ", Value(key), StringComparison.Ordinal);
            double[] energies = Numbers(key);
            Assert.True(energies[1] < 0.5 * energies[0], $"{key}: energy went from {energies[0]:G6} to {energies[1]:G6}.\n{run.Describe()}");
        }

        // Constant population: some particles were cloned (weights stay 1/n); weighted: the weights moved (max |n·w − 1|)
        // and the total mass stayed 1 to rounding (≤ steps·n·ε = 300·48·2.2e-16 ≈ 3.2e-12).
        double[] population = Numbers("birth-death-ConstantPopulation");
        Assert.True(population[4] > 0, $"No births in the constant-population run.\n{run.Describe()}");
        double[] weighted = Numbers("birth-death-Weighted");
        Assert.True(Math.Abs(weighted[2] - 1) <= 3.2e-12, $"Weighted mass drifted to {weighted[2]:R}.\n{run.Describe()}");
        Assert.True(weighted[3] > 0.5, $"The weights hardly moved (max |n·w − 1| = {weighted[3]:G3}).\n{run.Describe()}");

        // The consumer's own game (issue 10, must-show): Newton converged to ‖R‖ ≤ 1e-10, mass 1 to 1e-12, m > 0, and the
        // crowd is not uniform (max m / min m > 1.1: the source moves it); its Lagrangian twin gives the same (u, m, λ)
        // to 1e-9 (the two Ĥ agree to rounding; the solve amplifies that by the Jacobian's condition, ≲ 1e6 at N = 200).
        double[] game = Numbers("game").Prepend(0).ToArray();
        Assert.StartsWith("True ", Value("game"), StringComparison.Ordinal);
        Assert.True(game[1] <= 1e-10, $"game residual {game[1]:E2}.\n{run.Describe()}");
        Assert.True(Math.Abs(game[2] - 1) <= 1e-12, $"game mass {game[2]:R}.\n{run.Describe()}");
        Assert.True(game[3] > 0 && game[4] > 1.1, $"game density min {game[3]:G4}, max/min {game[4]:G4}.\n{run.Describe()}");
        double lagrangian = double.Parse(Value("game-lagrangian-difference"), CultureInfo.InvariantCulture);
        Assert.True(lagrangian <= 1e-9, $"Hamiltonian and Lagrangian games differ by {lagrangian:E2}.\n{run.Describe()}");

        // The consumer's game trained by the Deep Galerkin trainer (issue 11, must-show: a Hamiltonian written from scratch
        // trains with no other code). Measured in the runtime's tests on the same game (seeds 1–3, 1500 steps): the loss
        // fell ×3.0–5.3·10⁴, λ 0.98994–0.99016 against the finite-difference 0.99427, relative L2 difference of m
        // 1.9–4.9·10⁻³. The finite-difference scheme is first order (h = 1/200), so differences of a few 10⁻³ are its own
        // error as much as the network's; the bounds (×1000, 0.02, 0.02) leave margins of 4–30.
        double[] dgm = [.. Value("dgm").Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
        Assert.True(dgm[0] >= 1000, $"DGM loss fell only ×{dgm[0]:G3}.\n{run.Describe()}");
        Assert.True(Math.Abs(dgm[1] - dgm[2]) <= 0.02, $"DGM λ {dgm[1]:R} against the finite-difference {dgm[2]:R}.\n{run.Describe()}");
        Assert.True(dgm[3] <= 0.02, $"DGM m differs from the finite-difference m by {dgm[3]:E2} (relative L2).\n{run.Describe()}");

        // The consumer's 2-D game with a curvature that differs between the axes (the trainer adds a weighted Laplacian,
        // specs/dgm.md §5.1). Measured in the runtime's tests on the same game (seed 1, 3000 steps): loss fell ×1.8·10⁴,
        // λ 0.99358 against the finite-difference 0.99561 (24²) and 0.99671 (48²), relative L2 difference of m 1.5·10⁻²
        // at both grids (the first-order scheme moves λ by 10⁻³ between them). Bounds ×1000, 0.02 and 0.05: margins 3–18.
        double[] dgm2D = [.. Value("dgm-2d").Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
        Assert.True(dgm2D[0] >= 1000, $"DGM (2-D) loss fell only ×{dgm2D[0]:G3}.\n{run.Describe()}");
        Assert.True(Math.Abs(dgm2D[1] - dgm2D[2]) <= 0.02, $"DGM (2-D) λ {dgm2D[1]:R} against the finite-difference {dgm2D[2]:R}.\n{run.Describe()}");
        Assert.True(dgm2D[3] <= 0.05, $"DGM (2-D) m differs from the finite-difference m by {dgm2D[3]:E2} (relative L2).\n{run.Describe()}");

        // [GeneratedCode] carries the package version.
        Assert.Equal($"MeanField.Generators {Repository.Version}", Value("generated-code"));
    }

    /// <summary>
    /// The help link of a diagnostic reported in a user's build opens that diagnostic's page, the one shipped in the
    /// package the user restored. Read from the SARIF log the compiler writes (-p:ErrorLog), which is what IDEs show.
    /// </summary>
    [Fact]
    public void DiagnosticHelpLinkOpensItsPageInTheRestoredPackage()
    {
        string folder = NewConsumer("consumer-diagnostic");
        File.WriteAllText(Path.Combine(folder, "Model.cs"), """
            using MeanField;

            namespace PackageConsumer;

            [MeanFieldNetwork]
            public partial struct SinhNetwork
            {
                [Activation] public static double Sigma(double z) => Math.Sinh(z);
                [Cost] public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
            }
            """);

        string sarif = Path.Combine(folder, "build.sarif");
        var build = ProcessRunner.Dotnet(folder, StepTimeout, package.Environment, "build", "-c", "Release", $"-p:ErrorLog={sarif}%2Cversion=2.1");
        Assert.True(build.ExitCode != 0, $"The build of a model using Math.Sinh succeeded.\n{build.Describe()}");
        Assert.True(build.Output.Contains("error MF0012", StringComparison.Ordinal), $"The build did not report MF0012.\n{build.Describe()}");
        Assert.True(File.Exists(sarif), $"No SARIF log {sarif}.\n{build.Describe()}");

        using var log = JsonDocument.Parse(File.ReadAllText(sarif));
        var rule = log.RootElement.GetProperty("runs").EnumerateArray()
            .SelectMany(run => run.GetProperty("tool").GetProperty("driver").TryGetProperty("rules", out var rules) ? rules.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Single(r => r.GetProperty("id").GetString() == "MF0012");
        string link = rule.GetProperty("helpUri").GetString()!;

        var uri = new Uri(link);
        Assert.True(uri.IsFile, $"The help link {link} is not a file: URI.");
        string page = Path.GetFullPath(uri.LocalPath);
        string restored = Path.GetFullPath(Path.Combine(package.NuGetPackages, "meanfield", Repository.Version)) + Path.DirectorySeparatorChar;
        Assert.StartsWith(restored, page, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(restored, "docs", "diagnostics", "MF0012.md"), page);
        Assert.True(File.Exists(page), $"The help link {link} leads nowhere.");
        Assert.Equal(File.ReadAllText(Repository.PathOf("docs/diagnostics/MF0012.md")), File.ReadAllText(page));
    }

    /// <summary>`dotnet new console` in a fresh folder outside the solution, with the package folder as a source and
    /// `dotnet add package MeanField` from it.</summary>
    private string NewConsumer(string name)
    {
        package.RequirePackage();
        string folder = package.NewFolder(name);
        var env = package.Environment;

        ProcessRunner.Succeed(ProcessRunner.Dotnet(folder, StepTimeout, env, "new", "console", "--name", "PackageConsumer", "--output", folder));

        // The package folder as a source; the machine's own sources (nuget.org) still apply for System.Numerics.Tensors.
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="meanfield-local" value="{package.PackageFolder}" />
              </packageSources>
            </configuration>
            """);
        // No --source: that would hide nuget.org, and System.Numerics.Tensors would restore only if an earlier test
        // had already put it in the isolated packages folder.
        ProcessRunner.Succeed(ProcessRunner.Dotnet(folder, StepTimeout, env, "add", "package", "MeanField", "--version", Repository.Version));
        return folder;
    }
}
