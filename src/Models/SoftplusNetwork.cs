namespace MeanField.Models;

/// <summary>
/// Ridge network with the softplus activation and squared loss: f(x) = (1/n) Σ_i c_i σ(w_i·x + b_i),
/// σ(z) = log(1 + e^z) (a smooth ReLU), ℓ(y, ŷ) = ½(ŷ − y)².
/// </summary>
/// <remarks>
/// Written as the textbook formula; the generator recognises it and calls the stable <c>SimdMath.Softplus</c>
/// (finite at z = 800, where log(1 + e^z) overflows), with derivative the logistic function.
/// </remarks>
[MeanFieldNetwork]
public partial struct SoftplusNetwork
{
    /// <summary>σ(z) = log(1 + e^z).</summary>
    [Activation]
    public static double Sigma(double z) => Math.Log(1 + Math.Exp(z));

    /// <summary>ℓ(y, ŷ) = ½(ŷ − y)².</summary>
    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}
