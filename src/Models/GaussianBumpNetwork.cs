namespace MeanField.Models;

/// <summary>
/// Network of Gaussian bumps with trainable centre w, width s and amplitude c
/// (radial-basis units as in Rotskoff–Vanden-Eijnden 2018, §4):
/// φ(x; c, w, s) = c·exp(−|w − x|² / (2s²)), ℓ(y, ŷ) = ½(ŷ − y)², U = (λ/2)(c² + |w|²).
/// </summary>
[MeanFieldNetwork]
public partial struct GaussianBumpNetwork
{
    /// <summary>The confinement strength λ.</summary>
    public const double Lambda = 1e-3;

    /// <summary>φ(x; c, w, s) = c·exp(−|w − x|² / (2s²)).</summary>
    [Unit]
    public static double Bump(double c, ReadOnlySpan<double> w, double s, ReadOnlySpan<double> x)
        => c * Math.Exp(-SquaredDistance(w, x) / (2 * s * s));

    /// <summary>ℓ(y, ŷ) = ½(ŷ − y)².</summary>
    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);

    /// <summary>U(c, w, s) = (λ/2)(c² + |w|²).</summary>
    [Regularizer]
    public static double Confinement(double c, ReadOnlySpan<double> w, double s) => 0.5 * Lambda * ((c * c) + SquaredNorm(w));
}
