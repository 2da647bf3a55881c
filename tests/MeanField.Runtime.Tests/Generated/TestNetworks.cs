using static MeanField.Channels;

namespace MeanField.Runtime.Tests.Generated;

// Models written from scratch in this test project, the way a user writes them: the project
// references MeanField.Runtime and the generator as an analyzer (as the README says), and the
// generator's code is compiled by the real SDK compiler. None of these activations or losses is in src/Models.

/// <summary>Softplus activation with a log-cosh loss.</summary>
[MeanFieldNetwork]
public partial struct SoftplusLogCoshNetwork
{
    [Activation]
    public static double Softplus(double z) => Math.Log(1 + Math.Exp(z));

    [Cost]
    public static double LogCosh(double y, double prediction) => Math.Log(Cosh(prediction - y));

    public static double Cosh(double t) => 0.5 * (Math.Exp(t) + Math.Exp(-t));
}

/// <summary>
/// Every supported function in one unit, two vector parameters (a particle channel w·u), |x|², const
/// fields, helpers, Pow with constant and general exponents, ?: on a comparison, Max/Min/Abs, and a
/// pseudo-Huber cost.
/// </summary>
[MeanFieldNetwork]
public partial struct KitchenSinkNetwork
{
    public const double Scale = 0.75;
    private const double Delta = 1.5;

    [Unit]
    public static double Unit(double a, double s, ReadOnlySpan<double> w, ReadOnlySpan<double> u, ReadOnlySpan<double> x)
        => (a * Math.Atan(Dot(w, x)) * Math.Cos(Dot(u, x)))
           + (Scale * Math.Sqrt(1 + SquaredNorm(x)) * Math.Sin(s))
           + Math.Pow(1 + (s * s), 1.5) * Math.Exp(-0.1 * SquaredDistance(w, u))
           + Math.Acos(0.5 * Math.Tanh(Dot(w, u)))
           + Math.Pow(2 + Math.Cos(a), s)
           + Bend(Dot(u, x) - s)
           + (0.1 * Math.Abs(a - 3) * Math.Max(s, -4) * Math.Min(a, 5))
           + Math.Log(2 + Math.Sin(a * s));

    public static double Bend(double t) => t > 0 ? t * t : -t * t * t / Delta;

    [Cost]
    public static double PseudoHuber(double y, double prediction) => Delta * Delta * (Math.Sqrt(1 + Math.Pow((prediction - y) / Delta, 2)) - 1);

    [Regularizer]
    public static double Confinement(double a, double s, ReadOnlySpan<double> w, ReadOnlySpan<double> u) => (0.01 * a * a * s * s) + (0.02 * Dot(w, u)) + (0.03 * SquaredNorm(u));
}

/// <summary>Edge case for the engine: no vector parameters and no pair channel; the unit sees x only through |x|².</summary>
[MeanFieldNetwork]
public partial struct EnvelopeNetwork
{
    [Unit]
    public static double Envelope(double c, double s, ReadOnlySpan<double> x) => c * Math.Exp(-s * s * SquaredNorm(x));

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}
