namespace MeanField.Runtime.Tests.Dynamics;

/// <summary>
/// Hand-written test energy for the behaviour, allocation and bad-input tests (its parameters can be made to overflow);
/// the Gibbs claims of specs/particles.md §2.4 run on the generated Claims/ClaimModels.QuadraticInteraction. F(m) = ∫ ½a|θ − b|² dm + ½∬ (κ/2)|θ − θ′|² dm dm
/// for one vector parameter θ ∈ R^d (b the same in every coordinate), a measure of mass 1.
/// V(θ) = ½a|θ − b|² + (κ/2)(|θ|² − 2θ·m̄ + ∫|θ′|² dm), ∇V(θ) = a(θ − b) + κ(θ − m̄), m̄ = Σ w_j θ_j. O(n·d), allocates nothing.
/// </summary>
internal sealed class QuadraticEnergy(double a, double b, double kappa) : IParticleEnergy
{
    public static readonly InteractionLayout Layout = new("QuadraticTest", [], ["x"], [], [], hasPotential: true, hasConfinement: false);

    public static ParticleSet Particles(int n, int d, ulong seed, double mean, double std)
    {
        var particles = ParticleSet.Create(Layout, n, d);
        particles.InitializeGaussian("x", seed, mean, std);
        return particles;
    }

    public double Energy(ParticleSet particles) => Evaluate(particles, null, []);

    public double Gradient(ParticleSet particles, ParticleSet gradient, Span<double> firstVariation, long step) =>
        Evaluate(particles, gradient, firstVariation);

    private double Evaluate(ParticleSet particles, ParticleSet? gradient, Span<double> firstVariation)
    {
        int n = particles.Count;
        int d = particles.Dimension;
        ReadOnlySpan<double> x = particles.Vector(0);
        ReadOnlySpan<double> w = particles.Weights;
        Span<double> mean = stackalloc double[d];
        mean.Clear();
        double secondMoment = 0;
        double confinement = 0;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < d; c++)
            {
                double v = x[(i * d) + c];
                mean[c] += w[i] * v;
                secondMoment += w[i] * v * v;
                confinement += w[i] * 0.5 * a * (v - b) * (v - b);
            }
        }

        double meanSquare = 0;
        for (int c = 0; c < d; c++)
        {
            meanSquare += mean[c] * mean[c];
        }

        // ½∬(κ/2)|θ − θ′|² dm dm = (κ/2)(∫|θ|² dm − |m̄|²).
        double energy = confinement + (0.5 * kappa * (secondMoment - meanSquare));
        Span<double> g = gradient is null ? [] : gradient.Vector(0);
        for (int i = 0; i < n; i++)
        {
            double own = 0;
            double cross = 0;
            double squares = 0;
            for (int c = 0; c < d; c++)
            {
                double v = x[(i * d) + c];
                own += 0.5 * a * (v - b) * (v - b);
                cross += v * mean[c];
                squares += v * v;
                if (gradient is not null)
                {
                    g[(i * d) + c] = (a * (v - b)) + (kappa * (v - mean[c]));
                }
            }

            if (!firstVariation.IsEmpty)
            {
                firstVariation[i] = own + (0.5 * kappa * (squares - (2 * cross) + secondMoment));
            }
        }

        return energy;
    }
}
