// Teacher–student: data from a fixed random tanh network with 5 units; a 200-unit student trained
// by the mean-field gradient flow (Mei–Montanari–Nguyen 2018, §3) learns it.
//
//   dotnet run --project samples/TeacherStudent -c Release [-- --steps 3000 --threads 2]   (--steps N ≥ 1, --threads T in 1…1024)
using System.Diagnostics;
using System.Globalization;
using MeanField;
using MeanField.Models;
using MeanField.Samples;
using TeacherStudent;

// Arguments are parsed by samples/Common (shared with the other samples): a bad one is one line naming it and its
// value, the usage line, and exit code 2.
var defaults = new SampleArguments(Steps: 3000, Threads: Environment.ProcessorCount, OutputDirectory: string.Empty, Seed: 0);
return SampleHost.Run("TeacherStudent", args, defaults, SampleOptions.Steps | SampleOptions.Threads, Console.Out, Console.Error, Train);

static int Train(SampleArguments arguments)
{
    int steps = arguments.Steps, threads = arguments.Threads;
    var teacher = TeacherStudentProblem.Teacher();
    var data = TeacherStudentProblem.Data(teacher, threads: threads);
    var student = TeacherStudentProblem.Student();
    var options = new GradientFlowOptions
    {
        StepSize = TeacherStudentProblem.StepSize,
        MaxSteps = steps,
        ThreadCount = threads,
        RecordEvery = Math.Max(1, steps / 15),
        Progress = new ConsoleProgress(),
    };
    using var flow = new GradientFlow<TanhNetwork>(student, data, options);

    Console.WriteLine($"Teacher–student, tanh ridge units: d = {data.Dimension}, L = {data.Count} samples, teacher n = {teacher.Count}, student n = {student.Count}, η = {options.StepSize}, {threads} thread(s)");
    // What the source generator derived at compile time for TanhNetwork (all of it: TanhNetwork.Derivation).
    Console.WriteLine($"Unit φ = {TanhNetwork.Formulas["φ"]}; gradient derived at compile time: ∂φ/∂w = {TanhNetwork.Formulas["∂φ/∂w"]}");
    Console.WriteLine();
    Console.WriteLine("   step          loss");
    // Ctrl+C stops the run between two steps and still prints the results.
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };

    double initial = flow.Loss();
    var clock = Stopwatch.StartNew();
    var result = flow.Run(stop.Token);
    clock.Stop();

    // Generalisation: the loss on 1024 fresh samples from the same teacher.
    using var evaluator = new NetworkEvaluator<TanhNetwork>(threads);
    double testLoss = evaluator.Loss(student, TeacherStudentProblem.Data(teacher, count: 1024, seed: 8, threads: threads));

    Console.WriteLine();
    Console.WriteLine($"Stopped after {result.StepsTaken} steps ({result.Reason}) in {clock.Elapsed.TotalSeconds:F2} s.");
    Console.WriteLine($"Training loss {initial:0.000E+00} → {result.FinalLoss:0.000E+00} ({initial / result.FinalLoss:F0}× lower); loss on 1024 fresh samples {testLoss:0.000E+00}.");
    return 0;
}

/// <summary>Prints each recorded (step, loss) as it happens, on the training thread.</summary>
internal sealed class ConsoleProgress : IProgress<GradientFlowProgress>
{
    public void Report(GradientFlowProgress value) => Console.WriteLine($"{value.Step,7} {value.Loss,13:0.0000E+00}");
}
