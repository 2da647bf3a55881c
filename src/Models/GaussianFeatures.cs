namespace MeanField.Models;

/// <summary>
/// Gaussian features with trainable amplitude c and centre z (the setting of the birth–death dynamics of
/// Rotskoff–Jelassi–Bruna–Vanden-Eijnden 2019): φ(x; z) = exp(−|x − z|² / (2σ²)), f(x) = ∫ c φ(x; z) dμ. For the
/// loss ½ ∫ |f − f*|² dx over R^d the interaction is
/// K(θ, θ′) = ∫ c φ(x; z) c′ φ(x; z′) dx = c c′ (πσ²)^{d/2} exp(−|z − z′|² / (4σ²)).
/// </summary>
/// <remarks>
/// The factor (πσ²)^{d/2} is dropped: the energy is measured in units of (πσ²)^{d/2} (the target's potential must
/// use the same units). σ = <see cref="Sigma"/> = 0.2: on the unit interval or square (d = 1 or 2) a feature is then
/// narrow enough that a target with a few bumps is representable, and wide enough that particles a few σ apart still
/// interact (the kernel's range is 2σ), so the measure, not single particles, carries the fit.
/// |z − z′|² is a squared-distance pair channel, computed directly (never expanded).
/// </remarks>
[InteractionEnergy]
public partial struct GaussianFeatures
{
    /// <summary>The feature width σ.</summary>
    public const double Sigma = 0.2;

    /// <summary>K(θ, θ′) = c c′ exp(−|z − z′|² / (4σ²)).</summary>
    [Kernel]
    public static double K(double c, ReadOnlySpan<double> z, double c2, ReadOnlySpan<double> z2)
        => c * c2 * Math.Exp(-SquaredDistance(z, z2) / (4 * Sigma * Sigma));
}
