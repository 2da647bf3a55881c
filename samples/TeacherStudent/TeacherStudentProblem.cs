using MeanField;
using MeanField.Models;

namespace TeacherStudent;

/// <summary>
/// The sample's problem, also trained by the tests: labels from a fixed random tanh network with 5
/// units in d = 8 (inputs x ~ N(0, I), 2048 samples); a 200-unit student starts from N(0, 1) scalars and
/// N(0, I/d) weights (Mei–Montanari–Nguyen 2018, §3: the student's measure flows towards the teacher's).
/// </summary>
public static class TeacherStudentProblem
{
    /// <summary>The input dimension d.</summary>
    public const int Dimension = 8;

    /// <summary>L, the number of training samples.</summary>
    public const int Samples = 2048;

    /// <summary>Units of the teacher.</summary>
    public const int TeacherUnits = 5;

    /// <summary>Units (particles) of the student.</summary>
    public const int StudentUnits = 200;

    /// <summary>The Euler step η of the flow.</summary>
    public const double StepSize = 0.5;

    /// <summary>The teacher's particles (c, w, b), fixed by seed.</summary>
    public static ParticleSet Teacher()
    {
        var teacher = ParticleSet.Create<TanhNetwork>(TeacherUnits, Dimension);
        teacher.InitializeGaussian(seed: 1, scalarStd: 2.0, vectorStd: 1.0);
        return teacher;
    }

    /// <summary>The student's initial particles, fixed by seed.</summary>
    public static ParticleSet Student()
    {
        var student = ParticleSet.Create<TanhNetwork>(StudentUnits, Dimension);
        student.InitializeGaussian(seed: 2);
        return student;
    }

    /// <summary>The training set (seed 7) or a held-out set (another seed) labelled by the teacher.</summary>
    public static SampleSet Data(ParticleSet teacher, int count = Samples, int seed = 7, int threads = 1)
    {
        // x ~ N(0, I_d) by Box–Muller from a seeded generator.
        var random = new Random(seed);
        var inputs = new double[count * teacher.Dimension];
        for (int k = 0; k < inputs.Length; k++)
        {
            inputs[k] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        }

        var targets = new double[count];
        using var evaluator = new NetworkEvaluator<TanhNetwork>(threads);
        evaluator.Predict(teacher, inputs, targets);
        return new SampleSet(inputs, targets, teacher.Dimension);
    }
}
