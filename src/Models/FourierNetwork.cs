namespace MeanField.Models;

/// <summary>
/// Random-feature-style units with a trainable frequency w and phase-splitting amplitudes a, b:
/// φ(x; a, b, w) = a·cos(w·x) + b·sin(w·x), with the logistic-type smooth loss
/// ℓ(y, ŷ) = log(1 + exp(−y·ŷ)) for labels y = ±1 (written with a helper that is inlined).
/// </summary>
[MeanFieldNetwork]
public partial struct FourierNetwork
{
    /// <summary>φ(x; a, b, w) = a·cos(w·x) + b·sin(w·x).</summary>
    [Unit]
    public static double Feature(double a, double b, ReadOnlySpan<double> w, ReadOnlySpan<double> x)
        => (a * Math.Cos(Dot(w, x))) + (b * Math.Sin(Dot(w, x)));

    /// <summary>ℓ(y, ŷ) = softplus(−y·ŷ).</summary>
    [Cost]
    public static double Logistic(double y, double prediction) => Softplus(-y * prediction);

    /// <summary>softplus(t) = log(1 + e^t).</summary>
    /// <remarks>
    /// Written plainly rather than as the overflow-safe max(t, 0) + log(1 + e^(−|t|)): the kink
    /// convention (a tie contributes zero) would give that form the derivative 0 instead of ½ at
    /// t = 0 exactly, which is where training starts when predictions are 0.
    /// </remarks>
    public static double Softplus(double t) => Math.Log(1 + Math.Exp(t));
}
