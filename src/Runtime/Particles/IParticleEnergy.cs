namespace MeanField;

/// <summary>
/// A differentiable energy E(μ) of a weighted particle measure μ = Σ_i w_i δ_{θ_i}
/// (<see cref="ParticleSet.Weights"/>): what the particle dynamics (gradient flow, mean-field Langevin,
/// birth–death) need from a model, whatever its kind (a network's loss, an interaction energy).
/// </summary>
/// <remarks>
/// V(θ) = δE/δμ(θ) is the first variation; the Wasserstein gradient at particle i is ∇θ V(θ_i), and the
/// noiseless flow moves each particle by θ_i ← θ_i − η ∇θ V(θ_i). Implementations check their arguments
/// (shape, finiteness) and throw <see cref="ArgumentException"/> naming the argument.
/// </remarks>
public interface IParticleEnergy
{
    /// <summary>E(μ).</summary>
    /// <param name="particles">The measure's particles and weights.</param>
    double Energy(ParticleSet particles);

    /// <summary>
    /// Writes ∇θ V(θ_i) of every particle into <paramref name="gradient"/> (same layout, count and dimension as
    /// <paramref name="particles"/>), V(θ_i) into <paramref name="firstVariation"/> when it is not empty (length n), and
    /// returns E(μ) — all from one pass where the energy allows.
    /// </summary>
    /// <param name="particles">The measure's particles and weights.</param>
    /// <param name="gradient">Receives ∇θ V at each particle.</param>
    /// <param name="firstVariation">Empty, or n values to receive V(θ_i).</param>
    /// <param name="step">The dynamics' step counter, for energies that sample afresh each step (the Random Batch
    /// Method draws its partition from it); deterministic energies ignore it.</param>
    /// <returns>E(μ) (for a sampled energy, its estimate at this step).</returns>
    double Gradient(ParticleSet particles, ParticleSet gradient, Span<double> firstVariation, long step);
}
