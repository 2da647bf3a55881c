using MeanField;

namespace PackageConsumer;

/// <summary>
/// A unit and a loss that are not among the ready-made models: a logistic ridge unit written as a [Unit]
/// (so Dot and SquaredNorm come from the package's global 'using static MeanField.Channels'; this file has no
/// such directive), the pseudo-Huber loss and a small confinement.
/// </summary>
[MeanFieldNetwork]
public partial struct LogisticHuberNetwork
{
    private const double Delta = 0.5;

    [Unit]
    public static double Phi(double c, ReadOnlySpan<double> w, double b, ReadOnlySpan<double> x) => c * Logistic(Dot(w, x) + b);

    [Cost]
    public static double PseudoHuber(double y, double prediction) => Delta * Delta * (Math.Sqrt(1 + (Residual(y, prediction) * Residual(y, prediction))) - 1);

    [Regularizer]
    public static double Confinement(double c, ReadOnlySpan<double> w, double b) => 1e-4 * ((c * c) + SquaredNorm(w) + (b * b));

    private static double Logistic(double z) => 1 / (1 + Math.Exp(-z));

    private static double Residual(double y, double prediction) => (prediction - y) / Delta;
}
