namespace MeanField.Models;

/// <summary>
/// Ridge network with ReLU activation, squared loss and a weight-decay confinement
/// (Chizat–Bach 2018, §2.2 and §5 — ReLU units are 2-homogeneous in (c, w, b)):
/// f(x) = (1/n) Σ_i c_i max(0, w_i·x + b_i), ℓ(y, ŷ) = ½(ŷ − y)², U(θ) = (λ/2)(c² + |w|² + b²).
/// </summary>
/// <remarks>d/dz max(0, z) at z = 0 is taken as 0 (specs/networks.md, kink conventions).</remarks>
[MeanFieldNetwork]
public partial struct ReluNetwork
{
    /// <summary>The weight-decay strength λ.</summary>
    public const double Lambda = 1e-4;

    /// <summary>σ(z) = max(0, z).</summary>
    [Activation]
    public static double Relu(double z) => Math.Max(0, z);

    /// <summary>ℓ(y, ŷ) = ½(ŷ − y)².</summary>
    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);

    /// <summary>U(c, w, b) = (λ/2)(c² + |w|² + b²).</summary>
    [Regularizer]
    public static double WeightDecay(double c, ReadOnlySpan<double> w, double b) => 0.5 * Lambda * ((c * c) + SquaredNorm(w) + (b * b));
}
