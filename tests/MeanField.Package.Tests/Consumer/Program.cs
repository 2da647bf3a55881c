using System.CodeDom.Compiler;
using System.Globalization;
using System.Reflection;
using MeanField;
using PackageConsumer;

// Prints lines "key: value" that MeanField.Package.Tests checks.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// A teacher of 3 logistic units in d = 4 labels 512 Gaussian inputs; a 64-unit student learns it.
const int d = 4, samples = 512;
var random = new Random(7);
var inputs = new double[samples * d];
for (int k = 0; k < inputs.Length; k++)
{
    inputs[k] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

var teacher = ParticleSet.Create<LogisticHuberNetwork>(count: 3, dimension: d);
teacher.InitializeGaussian(seed: 11, scalarStd: 3.0, vectorStd: 1.0);
var targets = new double[samples];
using (var evaluator = new NetworkEvaluator<LogisticHuberNetwork>(2))
{
    evaluator.Predict(teacher, inputs, targets);
}

var data = new SampleSet(inputs, targets, d);
var student = ParticleSet.Create<LogisticHuberNetwork>(count: 64, dimension: d);
student.InitializeGaussian(seed: 12);
using var flow = new GradientFlow<LogisticHuberNetwork>(student, data, new GradientFlowOptions { StepSize = 2.0, MaxSteps = 1500, ThreadCount = 2, RecordEvery = 500 });
double initial = flow.Loss();
var result = flow.Run();
Console.WriteLine($"stop: {result.Reason} after {result.StepsTaken} steps");
Console.WriteLine($"loss: {initial:R} -> {result.FinalLoss:R}");
Console.WriteLine($"loss-ratio: {initial / result.FinalLoss:R}");

// The generated gradients of φ and U against central finite differences at a random point.
double[] scalars = [0.8, -0.4];               // c, b
double[] vectors = [0.3, -0.7, 0.5, 0.2];     // w
double[] x = [0.6, 0.1, -0.9, 1.2];
var gs = new double[2];
var gv = new double[d];
var gx = new double[d];
NetworkUnit.Gradient<LogisticHuberNetwork>(scalars, vectors, x, gs, gv, gx);
double worst = 0;
worst = Math.Max(worst, Compare(gs, scalars, s => NetworkUnit.Value<LogisticHuberNetwork>(s, vectors, x)));
worst = Math.Max(worst, Compare(gv, vectors, v => NetworkUnit.Value<LogisticHuberNetwork>(scalars, v, x)));
worst = Math.Max(worst, Compare(gx, x, xx => NetworkUnit.Value<LogisticHuberNetwork>(scalars, vectors, xx)));
NetworkUnit.RegularizerGradient<LogisticHuberNetwork>(scalars, vectors, d, gs, gv);
worst = Math.Max(worst, Compare(gs, scalars, s => NetworkUnit.Regularizer<LogisticHuberNetwork>(s, vectors, d)));
worst = Math.Max(worst, Compare(gv, vectors, v => NetworkUnit.Regularizer<LogisticHuberNetwork>(scalars, v, d)));
Console.WriteLine($"gradient-max-error: {worst:R}");

// The consumer's own interaction energy: the generated KernelGradient, PotentialGradient and ConfinementGradient,
// called directly as static interface members and carried to θ = (m, r, v) and θ′ by the chain rule through the
// layout's channels, against central differences of the consumer's own methods. θ and θ′ are one flat point:
// [m, r (d), v (d), m′, r′ (d), v′ (d)].
double[] pair = [0.7, 0.2, -0.5, 0.3, 0.9, 0.4, 0.1, -0.3, 0.6, -1.1, 0.25, -0.35, 0.45, 0.15, -0.2, 0.5, 0.3, -0.6];
Console.WriteLine($"kernel-gradient-max-error: {Math.Max(Compare(KernelTheta<SoftCoulomb>(pair, d), pair, Kernel), Math.Max(Compare(SideTheta<SoftCoulomb>(pair[..(1 + 2 * d)], d, potential: true), pair[..(1 + 2 * d)], p => SoftCoulomb.F(p[0], p.AsSpan(1, d), p.AsSpan(1 + d, d))), Compare(SideTheta<SoftCoulomb>(pair[..(1 + 2 * d)], d, potential: false), pair[..(1 + 2 * d)], p => SoftCoulomb.U(p[0], p.AsSpan(1, d), p.AsSpan(1 + d, d))))):R}");
Console.WriteLine($"kernel-pair-kinds: {string.Join(",", LayoutOf<SoftCoulomb>().PairChannels.Select(c => c.Kind))}");
Console.WriteLine($"kernel-side-values: {LayoutOf<SoftCoulomb>().SideValueCount}");

// The consumer's own energy through every runtime path, with no other code: exact and Random Batch evaluation,
// mean-field Langevin, and birth–death (constant population and weighted).
const int cloudSize = 48;
var cloudLayout = LayoutOf<SoftCoulomb>();
var cloud = ParticleSet.Create(cloudLayout, cloudSize, d);
cloud.InitializeGaussian(seed: 21, scalarStd: 0.5, vectorStd: 1.0);
var velocity = ParticleSet.Create(cloudLayout, cloudSize, d);
using (var exact = new InteractionEvaluator<SoftCoulomb>(new InteractionEvaluatorOptions { ThreadCount = 2 }))
{
    // ∂E/∂θ_i = w_i ∇θV(θ_i) (K symmetric): the evaluator's Wasserstein gradient against central differences of E.
    double energy = exact.Gradient(cloud, velocity, [], 0);
    Console.WriteLine($"exact-kernel-evaluations: {exact.KernelEvaluations}");
    double fdWorst = 0;
    var values = cloud.Values;
    for (int k = 0; k < values.Length; k += 7)
    {
        double saved = values[k];
        values[k] = saved + 1e-5;
        double plus = exact.Energy(cloud);
        values[k] = saved - 1e-5;
        double minus = exact.Energy(cloud);
        values[k] = saved;
        double fd = (plus - minus) / 2e-5;
        double analytic = cloud.Weights[k / (values.Length / cloudSize)] * velocity.Values[k];
        fdWorst = Math.Max(fdWorst, Math.Abs(analytic - fd) / Math.Max(1e-3, Math.Abs(fd)));
    }

    Console.WriteLine($"exact-energy: {energy:R}");
    Console.WriteLine($"exact-gradient-fd-error: {fdWorst:R}");
}

using (var batches = new InteractionEvaluator<SoftCoulomb>(new InteractionEvaluatorOptions { ThreadCount = 2, Method = InteractionMethod.RandomBatch, BatchSize = 8, Seed = 3 }))
{
    batches.Gradient(cloud, velocity, [], 0);
    Console.WriteLine($"rbm-kernel-evaluations: {batches.KernelEvaluations}");
    var run = ParticleSet.Create(cloudLayout, cloudSize, d);
    cloud.Values.CopyTo(run.Values);
    using var langevin = new MeanFieldLangevin(run, batches, new LangevinOptions { StepSize = 0.01, Sigma = 0.05, MaxSteps = 300, Seed = 4 });
    double before = langevin.Energy();
    var langevinResult = langevin.Run();
    Console.WriteLine($"rbm-langevin: {langevinResult.Reason} {before:R} {langevin.Energy():R}");
}

using (var exact = new InteractionEvaluator<SoftCoulomb>(new InteractionEvaluatorOptions { ThreadCount = 2 }))
{
    foreach (var mode in new[] { BirthDeathMode.ConstantPopulation, BirthDeathMode.Weighted })
    {
        var run = ParticleSet.Create(cloudLayout, cloudSize, d);
        cloud.Values.CopyTo(run.Values);
        using var dynamics = new BirthDeathDynamics(run, exact, new BirthDeathOptions { StepSize = 0.01, Rate = 2, Mode = mode, MaxSteps = 300, Seed = 5 });
        double before = dynamics.Energy();
        var dynamicsResult = dynamics.Run();
        double mass = 0, moved = 0;
        foreach (double w in run.Weights)
        {
            mass += w;
            moved = Math.Max(moved, Math.Abs((w * cloudSize) - 1));
        }

        Console.WriteLine($"birth-death-{mode}: {dynamicsResult.Reason} {before:R} {dynamics.Energy():R} {mass:R} {moved:R} {dynamics.Births}");
    }
}

// The version the generator wrote into [GeneratedCode] on the generated members.
var generated = typeof(LogisticHuberNetwork)
    .GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
    .Select(m => m.GetCustomAttribute<GeneratedCodeAttribute>())
    .Where(a => a is not null)
    .Select(a => $"{a!.Tool} {a.Version}")
    .Distinct()
    .ToList();
Console.WriteLine($"generated-code: {string.Join("; ", generated)}");

// The consumer's own game (Consumer/Game.cs), solved with no other code, by its Hamiltonian and by its Lagrangian.
var grid = new PeriodicGrid(200);
ErgodicSolution byHamiltonian = new ErgodicSolver<CrowdGame>(grid, null).Solve();
ErgodicSolution byLagrangian = new ErgodicSolver<CrowdLagrangianGame>(grid, null).Solve();
double gameDifference = Math.Abs(byHamiltonian.Lambda - byLagrangian.Lambda);
for (int g = 0; g < grid.NodeCount; g++)
{
    gameDifference = Math.Max(gameDifference, Math.Max(Math.Abs(byHamiltonian.U[g] - byLagrangian.U[g]), Math.Abs(byHamiltonian.M[g] - byLagrangian.M[g])));
}

Console.WriteLine($"game: {byHamiltonian.Converged} {byHamiltonian.ResidualNorm:R} {byHamiltonian.Mass:R} {byHamiltonian.MinDensity:R} {byHamiltonian.M.Max() / byHamiltonian.M.Min():R}");
Console.WriteLine($"game-lagrangian-difference: {gameDifference:R}");

// The same game by the Deep Galerkin trainer, with no other code: 1500 steps, then u, m at the grid's nodes.
var dgm = new MeanField.Dgm.ErgodicDgmTrainer<CrowdGame>(16, 2, 128, seed: 1);
double firstLosses = 0, lastLosses = 0;
for (int s = 0; s < 1500; s++)
{
    double loss = dgm.Step();
    firstLosses += s < 20 ? loss : 0;
    lastLosses += s >= 1480 ? loss : 0;
}

double[] nodes = Enumerable.Range(0, grid.NodeCount).Select(g => g * grid.Hx).ToArray();
double[] uDgm = new double[nodes.Length], mDgm = new double[nodes.Length];
dgm.Solution(nodes, uDgm, mDgm);
double mDifference = Math.Sqrt(mDgm.Zip(byHamiltonian.M, (a, b) => (a - b) * (a - b)).Sum() / byHamiltonian.M.Sum(v => v * v));
Console.WriteLine($"dgm: {firstLosses / lastLosses:R} {dgm.Lambda:R} {byHamiltonian.Lambda:R} {mDifference:R}");

// A 2-D game whose curvature differs between the axes, by finite differences (32 × 32) and by the Deep Galerkin trainer
// (3000 steps), still with no other code.
var grid2D = new PeriodicGrid(32, 32);
ErgodicSolution crowd2D = new ErgodicSolver<CrowdGame2D>(grid2D, null).Solve();
var dgm2D = new MeanField.Dgm.ErgodicDgmTrainer<CrowdGame2D>(16, 2, 128, seed: 1);
firstLosses = lastLosses = 0;
for (int s = 0; s < 3000; s++)
{
    double loss = dgm2D.Step();
    firstLosses += s < 20 ? loss : 0;
    lastLosses += s >= 2980 ? loss : 0;
}

double[] nodes2D = new double[2 * grid2D.NodeCount];
for (int g = 0; g < grid2D.NodeCount; g++)
{
    nodes2D[2 * g] = (g % 32) / 32.0;
    nodes2D[(2 * g) + 1] = (g / 32) / 32.0;
}

double[] u2D = new double[grid2D.NodeCount], m2D = new double[grid2D.NodeCount];
dgm2D.Solution(nodes2D, u2D, m2D);
double m2DDifference = Math.Sqrt(m2D.Zip(crowd2D.M, (a, b) => (a - b) * (a - b)).Sum() / crowd2D.M.Sum(v => v * v));
Console.WriteLine($"dgm-2d: {firstLosses / lastLosses:R} {dgm2D.Lambda:R} {crowd2D.Lambda:R} {m2DDifference:R}");
return 0;

static InteractionLayout LayoutOf<T>()
    where T : struct, IInteractionModel<T> => T.Layout;

static double Kernel(double[] p)
{
    int side = p.Length / 2, dim = (side - 1) / 2;
    return SoftCoulomb.K(p[0], p.AsSpan(1, dim), p.AsSpan(1 + dim, dim), p[side], p.AsSpan(side + 1, dim), p.AsSpan(side + 1 + dim, dim));
}

// The per-side block [scalars][vectors] of a flat θ.
static (double[] Scalars, double[][] Vectors) Split(InteractionLayout layout, double[] theta, int dim)
{
    int s = layout.ScalarCount;
    return (theta[..s], Enumerable.Range(0, layout.VectorParameters.Count).Select(a => theta[(s + a * dim)..(s + (a + 1) * dim)]).ToArray());
}

static double[] SideInputs(InteractionLayout layout, (double[] Scalars, double[][] Vectors) p)
    => [.. p.Scalars, .. layout.ParticleChannels.Select(c => Channels.Dot(p.Vectors[c.First], p.Vectors[c.Second]))];

// The model's side values of one particle (the kernel's one-sided terms, computed once per particle), after the pair channels.
static double[] SideValuesOf<T>(InteractionLayout layout, (double[] Scalars, double[][] Vectors) p)
    where T : struct, IInteractionModel<T>
{
    var values = new double[layout.SideValueCount];
    T.SideValues(SideInputs(layout, p), values);
    return values;
}

// ∂(operator)/∂θ from ∂/∂(inputs of one side's block), by the chain rule through the per-particle channels.
static void AddSide(InteractionLayout layout, double[] g, int inputOffset, (double[] Scalars, double[][] Vectors) p, double[] result, int offset, int dim)
{
    int s = layout.ScalarCount;
    for (int k = 0; k < s; k++)
    {
        result[offset + k] += g[inputOffset + k];
    }

    for (int q = 0; q < layout.ParticleChannelCount; q++)
    {
        var c = layout.ParticleChannels[q];
        for (int j = 0; j < dim; j++)
        {
            result[offset + s + c.First * dim + j] += g[inputOffset + s + q] * p.Vectors[c.Second][j];
            result[offset + s + c.Second * dim + j] += g[inputOffset + s + q] * p.Vectors[c.First][j];
        }
    }
}

static double[] KernelTheta<T>(double[] flat, int dim)
    where T : struct, IInteractionModel<T>
{
    var layout = T.Layout;
    int side = flat.Length / 2;
    var a = Split(layout, flat[..side], dim);
    var b = Split(layout, flat[side..], dim);
    double[] inputs = [.. SideInputs(layout, a), .. SideInputs(layout, b), .. layout.PairChannels.Select(c => c.Kind == PairChannelKind.Dot
        ? Channels.Dot(a.Vectors[c.First], b.Vectors[c.Second])
        : Channels.SquaredDistance(a.Vectors[c.First], b.Vectors[c.Second])), .. SideValuesOf<T>(layout, a), .. SideValuesOf<T>(layout, b)];
    var g = new double[layout.GradientCount];
    T.KernelGradient(inputs, g);
    var result = new double[flat.Length];
    AddSide(layout, g, 0, a, result, 0, dim);
    AddSide(layout, g, layout.SideBOffset, b, result, side, dim);
    for (int k = 0; k < layout.PairChannelCount; k++)
    {
        var c = layout.PairChannels[k];
        double coefficient = g[layout.PairChannelOffset + k];
        for (int j = 0; j < dim; j++)
        {
            double onA = c.Kind == PairChannelKind.Dot ? b.Vectors[c.Second][j] : 2 * (a.Vectors[c.First][j] - b.Vectors[c.Second][j]);
            double onB = c.Kind == PairChannelKind.Dot ? a.Vectors[c.First][j] : 2 * (b.Vectors[c.Second][j] - a.Vectors[c.First][j]);
            result[layout.ScalarCount + c.First * dim + j] += coefficient * onA;
            result[side + layout.ScalarCount + c.Second * dim + j] += coefficient * onB;
        }
    }

    return result;
}

static double[] SideTheta<T>(double[] theta, int dim, bool potential)
    where T : struct, IInteractionModel<T>
{
    var layout = T.Layout;
    var p = Split(layout, theta, dim);
    var g = new double[layout.SideInputCount];
    if (potential)
    {
        T.PotentialGradient(SideInputs(layout, p), g);
    }
    else
    {
        T.ConfinementGradient(SideInputs(layout, p), g);
    }

    var result = new double[theta.Length];
    AddSide(layout, g, 0, p, result, 0, dim);
    return result;
}

// max_k |g_k − (f(p + h e_k) − f(p − h e_k)) / 2h| / max(1, |g_k|)
static double Compare(double[] gradient, double[] point, Func<double[], double> f)
{
    const double h = 1e-6;
    double worst = 0;
    for (int k = 0; k < point.Length; k++)
    {
        var plus = (double[])point.Clone();
        var minus = (double[])point.Clone();
        plus[k] += h;
        minus[k] -= h;
        double fd = (f(plus) - f(minus)) / (2 * h);
        worst = Math.Max(worst, Math.Abs(gradient[k] - fd) / Math.Max(1, Math.Abs(gradient[k])));
    }

    return worst;
}
