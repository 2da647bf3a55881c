// Teacher–student: data from a fixed random tanh network with 5 units; a 200-unit student trained
// by the mean-field gradient flow (Mei–Montanari–Nguyen 2018, §3) learns it.
//
//   dotnet run --project samples/TeacherStudent -c Release [-- --steps 3000 --threads 2]
using System.Diagnostics;
using System.Globalization;
using MeanField;
using MeanField.Models;

int steps = 3000, threads = Environment.ProcessorCount;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--steps" when i + 1 < args.Length: steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--threads" when i + 1 < args.Length: threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: TeacherStudent [--steps N] [--threads T]");
            return 2;
    }
}

const int Dimension = 8, Samples = 2048, TeacherUnits = 5, StudentUnits = 200;

// The teacher: fixed random particles (c, w, b).
var teacher = ParticleSet.Create<TanhNetwork>(TeacherUnits, Dimension);
teacher.InitializeGaussian(seed: 1, scalarStd: 2.0, vectorStd: 1.0);

// Inputs x ~ N(0, I_d) from a seeded generator; targets y = f_teacher(x).
var random = new Random(7);
var inputs = new double[Samples * Dimension];
for (int k = 0; k < inputs.Length; k++)
{
    inputs[k] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

var targets = new double[Samples];
using (var evaluator = new NetworkEvaluator<TanhNetwork>(threads))
{
    evaluator.Predict(teacher, inputs, targets);
}

var data = new SampleSet(inputs, targets, Dimension);

// The student: 200 particles from N(0, 1) scalars and N(0, I/d) weights.
var student = ParticleSet.Create<TanhNetwork>(StudentUnits, Dimension);
student.InitializeGaussian(seed: 2);

var options = new GradientFlowOptions { StepSize = 0.5, MaxSteps = steps, ThreadCount = threads, RecordEvery = Math.Max(1, steps / 15) };
using var flow = new GradientFlow<TanhNetwork>(student, data, options);

Console.WriteLine($"Teacher–student, tanh ridge units: d = {Dimension}, L = {Samples} samples, teacher n = {TeacherUnits}, student n = {StudentUnits}, η = {options.StepSize}, {threads} thread(s)");
Console.WriteLine();
Console.WriteLine("   step         loss");
double initial = flow.Loss();
Console.WriteLine($"{0,7} {initial,12:E4}");
var clock = Stopwatch.StartNew();
var result = flow.Run();
clock.Stop();
foreach (var (step, loss) in flow.LossHistory)
{
    Console.WriteLine($"{step,7} {loss,12:E4}");
}

Console.WriteLine();
Console.WriteLine($"Stopped after {result.StepsTaken} steps ({result.Reason}) in {clock.Elapsed.TotalSeconds:F2} s: loss {initial:E3} → {result.FinalLoss:E3}, {initial / result.FinalLoss:F0}× lower.");
return 0;
