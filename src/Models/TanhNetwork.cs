namespace MeanField.Models;

/// <summary>
/// Ridge network with tanh activation and squared loss (Mei–Montanari–Nguyen 2018, §2):
/// f(x) = (1/n) Σ_i c_i tanh(w_i·x + b_i), ℓ(y, ŷ) = ½(ŷ − y)².
/// </summary>
[MeanFieldNetwork]
public partial struct TanhNetwork
{
    /// <summary>σ(z) = tanh z.</summary>
    [Activation]
    public static double Sigma(double z) => Math.Tanh(z);

    /// <summary>ℓ(y, ŷ) = ½(ŷ − y)².</summary>
    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}
