using MeanField.Models;

namespace MeanField.Runtime.Tests.Claims;

/// <summary>
/// Shared setups of the claim tests (specs/particles.md §2.4, §3.3, §5, §6): every energy is an
/// <see cref="InteractionEvaluator{TModel}"/> on a model compiled by the source generator.
/// </summary>
internal static class ClaimSetups
{
    /// <summary>Threads for the evaluators (the results do not depend on it; 2 = the CI machine's cores).</summary>
    public const int Threads = 2;

    /// <summary>The generated layout of a model.</summary>
    public static InteractionLayout LayoutOf<TModel>()
        where TModel : struct, IInteractionModel<TModel> => TModel.Layout;

    /// <summary>n particles of a one-scalar model (d = 1 is a placeholder: the models have no vector) with x ~ N(mean, std²).</summary>
    public static ParticleSet Scalars<TModel>(int n, ulong seed, double mean, double std)
        where TModel : struct, IInteractionModel<TModel>
    {
        var particles = ParticleSet.Create(LayoutOf<TModel>(), n, 1);
        particles.InitializeGaussian("x", seed, mean, std);
        return particles;
    }

    /// <summary>An evaluator of the model, exact or Random Batch with batch size p.</summary>
    public static InteractionEvaluator<TModel> Evaluator<TModel>(int threads = Threads, int batchSize = 0, ulong seed = 0, ParticleSet? reference = null)
        where TModel : struct, IInteractionModel<TModel> =>
        new(new InteractionEvaluatorOptions
        {
            ThreadCount = threads,
            Method = batchSize > 0 ? InteractionMethod.RandomBatch : InteractionMethod.Exact,
            BatchSize = batchSize > 0 ? batchSize : 64,
            Seed = seed,
            Reference = reference,
        });

    // ---- The Gaussian-feature problem (specs/particles.md §3.3; GaussianFeatures, σ_f = 0.2, d = 1) ----

    /// <summary>Centres of the target's three unit bumps: f* = Σ_k φ(·; t_k) (in the model's units).</summary>
    public static readonly double[] BumpCentres = [-1.2, 0.4, 1.6];

    /// <summary>
    /// The target as a reference measure ν = Σ_k δ_{(c = 1, z = t_k)} (weights 1, so f* = Σ_k φ(·; t_k)); the evaluator's
    /// energy is then E(μ) = ½∬K d(μ − ν)d(μ − ν) = ½∫(f − f*)² dx / √(πσ_f²) ≥ 0.
    /// </summary>
    public static ParticleSet BumpTarget()
    {
        var target = ParticleSet.Create(LayoutOf<GaussianFeatures>(), BumpCentres.Length, 1);
        target.Scalar("c").Fill(1.0);
        BumpCentres.CopyTo(target.Vector("z"));
        target.Weights.Fill(1.0);
        return target;
    }

    /// <summary>n features with c = <paramref name="c"/> on an even grid of centres over [low, high] (weights 1/n).</summary>
    public static ParticleSet FeatureGrid(int n, double low, double high, double c)
    {
        var particles = ParticleSet.Create(LayoutOf<GaussianFeatures>(), n, 1);
        particles.Scalar("c").Fill(c);
        Span<double> z = particles.Vector("z");
        for (int i = 0; i < n; i++)
        {
            z[i] = low + ((high - low) * i / (n - 1));
        }

        return particles;
    }

    // ---- Teacher–student on the arc-cosine risk (specs/particles.md §5) ----

    /// <summary>Input dimension d and teacher width k.</summary>
    public const int TeacherDimension = 5;

    /// <summary>The teacher's number of units.</summary>
    public const int TeacherUnits = 3;

    /// <summary>
    /// The teacher ν = (1/k) Σ_j δ_{(c = 1, w = e_j)}, j = 1 … k: f*(x) = (1/k) Σ_j relu(x_j), orthonormal directions.
    /// </summary>
    public static ParticleSet Teacher()
    {
        var teacher = ParticleSet.Create(LayoutOf<ArcCosineKernel>(), TeacherUnits, TeacherDimension);
        teacher.Scalar("c").Fill(1.0);
        Span<double> w = teacher.Vector("w");
        for (int j = 0; j < TeacherUnits; j++)
        {
            w[(j * TeacherDimension) + j] = 1.0;
        }

        return teacher;
    }

    /// <summary>A student of n units: c ~ N(0, cStd²), w ~ N(0, I/d) (weights 1/n).</summary>
    public static ParticleSet Student(int n, ulong seed, double cStd)
    {
        var student = ParticleSet.Create(LayoutOf<ArcCosineKernel>(), n, TeacherDimension);
        student.InitializeGaussian(seed, cStd);
        return student;
    }

    /// <summary>Σ_i w_i over the weights, summed in index order.</summary>
    public static double Mass(ParticleSet particles)
    {
        double mass = 0;
        foreach (double w in particles.Weights)
        {
            mass += w;
        }

        return mass;
    }
}
