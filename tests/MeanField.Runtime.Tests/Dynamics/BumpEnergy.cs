namespace MeanField.Runtime.Tests.Dynamics;

/// <summary>
/// Hand-written test energy of a 1-D Gaussian-feature problem for the behaviour, allocation and bad-input tests (the claims
/// of specs/particles.md §3.3 run on the generated GaussianFeatures model, Claims/GaussianFeatureClaimTests): particle θ = (c, z), feature
/// φ(x; z) = exp(−(x − z)²/(2σ_f²)), f(x) = Σ_i w_i c_i φ(x; z_i), target f*(x) = Σ_k a_k φ(x; t_k), and
/// E(μ) = ½∫(f − f*)² dx in closed form with G(z, z′) = ∫φ(x; z)φ(x; z′) dx = √π σ_f exp(−(z − z′)²/(4σ_f²)):
/// E = ½ΣΣ w_i w_j c_i c_j G(z_i, z_j) − Σ_i w_i c_i Σ_k a_k G(z_i, t_k) + ½ΣΣ a_k a_l G(t_k, t_l) ≥ 0.
/// V(c, z) = c(Σ_j w_j c_j G(z, z_j) − Σ_k a_k G(z, t_k)); ∂_c V, ∂_z V by hand. Exact O(n²), allocates nothing.
/// </summary>
internal sealed class BumpEnergy(double width, double[] centres, double[] amplitudes) : IParticleEnergy
{
    public static readonly InteractionLayout Layout = new("BumpTest", ["c"], ["z"], [], [], hasPotential: true, hasConfinement: false);

    private readonly double _norm = Math.Sqrt(Math.PI) * width;
    private readonly double _inverse = 1.0 / (4 * width * width);

    /// <summary>n particles, z on an even grid over [low, high], c = <paramref name="c"/>.</summary>
    public static ParticleSet Grid(int n, double low, double high, double c)
    {
        var particles = ParticleSet.Create(Layout, n, 1);
        particles.Scalar(0).Fill(c);
        Span<double> z = particles.Vector(0);
        for (int i = 0; i < n; i++)
        {
            z[i] = low + ((high - low) * i / (n - 1));
        }

        return particles;
    }

    public double Energy(ParticleSet particles) => Evaluate(particles, null, []);

    public double Gradient(ParticleSet particles, ParticleSet gradient, Span<double> firstVariation, long step) =>
        Evaluate(particles, gradient, firstVariation);

    private double G(double z, double y) => _norm * Math.Exp(-(z - y) * (z - y) * _inverse);

    private double Evaluate(ParticleSet particles, ParticleSet? gradient, Span<double> firstVariation)
    {
        int n = particles.Count;
        ReadOnlySpan<double> c = particles.Scalar(0);
        ReadOnlySpan<double> z = particles.Vector(0);
        ReadOnlySpan<double> w = particles.Weights;
        double energy = 0;
        for (int k = 0; k < centres.Length; k++)
        {
            for (int l = 0; l < centres.Length; l++)
            {
                energy += 0.5 * amplitudes[k] * amplitudes[l] * G(centres[k], centres[l]);
            }
        }

        for (int i = 0; i < n; i++)
        {
            // field = ∫ c′ G(z_i, z′) dμ − Σ_k a_k G(z_i, t_k), slope = its z-derivative.
            double field = 0;
            double slope = 0;
            for (int j = 0; j < n; j++)
            {
                double g = G(z[i], z[j]);
                field += w[j] * c[j] * g;
                slope += w[j] * c[j] * g * (-2 * (z[i] - z[j]) * _inverse);
            }

            double self = 0.5 * field;
            for (int k = 0; k < centres.Length; k++)
            {
                double g = G(z[i], centres[k]);
                field -= amplitudes[k] * g;
                slope -= amplitudes[k] * g * (-2 * (z[i] - centres[k]) * _inverse);
                self -= amplitudes[k] * g;
            }

            energy += w[i] * c[i] * self;
            if (gradient is not null)
            {
                gradient.Scalar(0)[i] = field;
                gradient.Vector(0)[i] = c[i] * slope;
            }

            if (!firstVariation.IsEmpty)
            {
                firstVariation[i] = c[i] * field;
            }
        }

        return energy;
    }
}
