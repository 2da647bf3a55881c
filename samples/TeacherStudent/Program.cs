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
var (inputs, targets) = Draw(teacher, Samples, random, threads);
var data = new SampleSet(inputs, targets, Dimension);

// The student: 200 particles from N(0, 1) scalars and N(0, I/d) weights.
var student = ParticleSet.Create<TanhNetwork>(StudentUnits, Dimension);
student.InitializeGaussian(seed: 2);

var options = new GradientFlowOptions
{
    StepSize = 0.5,
    MaxSteps = steps,
    ThreadCount = threads,
    RecordEvery = Math.Max(1, steps / 15),
    Progress = new ConsoleProgress(),
};
using var flow = new GradientFlow<TanhNetwork>(student, data, options);

Console.WriteLine($"Teacher–student, tanh ridge units: d = {Dimension}, L = {Samples} samples, teacher n = {TeacherUnits}, student n = {StudentUnits}, η = {options.StepSize}, {threads} thread(s)");
Console.WriteLine();
Console.WriteLine("   step          loss");
double initial = flow.Loss();
var clock = Stopwatch.StartNew();
var result = flow.Run();
clock.Stop();

// Generalisation: the loss on 1024 fresh samples from the same teacher.
var (testInputs, testTargets) = Draw(teacher, 1024, new Random(8), threads);
using var evaluator = new NetworkEvaluator<TanhNetwork>(threads);
double testLoss = evaluator.Loss(student, new SampleSet(testInputs, testTargets, Dimension));

Console.WriteLine();
Console.WriteLine($"Stopped after {result.StepsTaken} steps ({result.Reason}) in {clock.Elapsed.TotalSeconds:F2} s.");
Console.WriteLine($"Training loss {initial:0.000E+00} → {result.FinalLoss:0.000E+00} ({initial / result.FinalLoss:F0}× lower); loss on 1024 fresh samples {testLoss:0.000E+00}.");
return 0;

// Draws samples x ~ N(0, I_d) (Box–Muller) and labels them with the teacher.
static (double[] Inputs, double[] Targets) Draw(ParticleSet teacher, int count, Random random, int threads)
{
    var inputs = new double[count * teacher.Dimension];
    for (int k = 0; k < inputs.Length; k++)
    {
        inputs[k] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
    }

    var targets = new double[count];
    using var evaluator = new NetworkEvaluator<TanhNetwork>(threads);
    evaluator.Predict(teacher, inputs, targets);
    return (inputs, targets);
}

/// <summary>Prints each recorded (step, loss) as it happens, on the training thread.</summary>
internal sealed class ConsoleProgress : IProgress<GradientFlowProgress>
{
    public void Report(GradientFlowProgress value) => Console.WriteLine($"{value.Step,7} {value.Loss,13:0.0000E+00}");
}
