namespace MeanField.Models;

/// <summary>
/// Ridge network with ReLU activation and squared loss (Chizat–Bach 2018, §2.2 — ReLU units are
/// 2-homogeneous in (c, w, b)): f(x) = (1/n) Σ_i c_i max(0, w_i·x + b_i), ℓ(y, ŷ) = ½(ŷ − y)².
/// Exactly the ReLU model of the W1 benchmark workload.
/// </summary>
/// <remarks>d/dz max(0, z) at z = 0 is taken as 0 (specs/networks.md, kink conventions).</remarks>
[MeanFieldNetwork]
public partial struct ReluNetwork
{
    /// <summary>σ(z) = max(0, z).</summary>
    [Activation]
    public static double Relu(double z) => Math.Max(0, z);

    /// <summary>ℓ(y, ŷ) = ½(ŷ − y)².</summary>
    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}
