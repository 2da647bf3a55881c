namespace MeanField.Models;

/// <summary>
/// Ridge network with the logistic sigmoid and squared loss (Mei–Montanari–Nguyen 2018 treat general bounded σ):
/// f(x) = (1/n) Σ_i c_i σ(w_i·x + b_i), σ(z) = 1/(1 + e^{−z}), ℓ(y, ŷ) = ½(ŷ − y)².
/// </summary>
/// <remarks>
/// Written as the textbook formula; the generator recognises it as the logistic function and calls the stable
/// <c>SimdMath.Logistic</c> (no overflow of e^{−z} at z ≪ 0, derivative σ(1 − σ)).
/// </remarks>
[MeanFieldNetwork]
public partial struct SigmoidNetwork
{
    /// <summary>σ(z) = 1/(1 + e^{−z}).</summary>
    [Activation]
    public static double Sigma(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>ℓ(y, ŷ) = ½(ŷ − y)².</summary>
    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}
