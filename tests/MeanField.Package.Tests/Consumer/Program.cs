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

// The version the generator wrote into [GeneratedCode] on the generated members.
var generated = typeof(LogisticHuberNetwork)
    .GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
    .Select(m => m.GetCustomAttribute<GeneratedCodeAttribute>())
    .Where(a => a is not null)
    .Select(a => $"{a!.Tool} {a.Version}")
    .Distinct()
    .ToList();
Console.WriteLine($"generated-code: {string.Join("; ", generated)}");
return 0;

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
