namespace MeanField.Runtime.Tests.Claims;

/// <summary>
/// A harmonic well without interaction, compiled by the source generator (specs/particles.md §2.4 case (i)):
/// one scalar x per particle, U(x) = ½a x² with a = <see cref="A"/>, K ≡ 0. E(m) = ∫ ½a x² dm, δE/δm(x) = ½a x².
/// </summary>
[InteractionEnergy]
public partial struct HarmonicWell
{
    /// <summary>The well's curvature a.</summary>
    public const double A = 1.0;

    /// <summary>No interaction: K ≡ 0 (an interaction model must declare a kernel).</summary>
    [Kernel]
    public static double K(double x, double x2) => 0.0 * x * x2;

    /// <summary>U(x) = ½a x².</summary>
    [Confinement]
    public static double U(double x) => 0.5 * A * x * x;
}

/// <summary>
/// A quadratic interaction in a tilted well, compiled by the source generator (specs/particles.md §2.4 case (ii)):
/// one scalar x per particle, K(x, x′) = (κ/2)(x − x′)², U(x) = ½a x², F(x) = a b x (entering E as −∫F dm), so
/// E(m) = ∫ ½a(x − b)² dm + ½∬ (κ/2)(x − x′)² dm dm − ½a b², δE/δm(x) = ½a(x − b)² + (κ/2)∫(x − x′)² dm(x′) + const,
/// ∇ δE/δm(x) = a(x − b) + κ(x − m̄). a = b = κ = 1.
/// </summary>
[InteractionEnergy]
public partial struct QuadraticInteraction
{
    /// <summary>The well's curvature a.</summary>
    public const double A = 1.0;

    /// <summary>The well's centre b.</summary>
    public const double B = 1.0;

    /// <summary>The interaction strength κ.</summary>
    public const double Kappa = 1.0;

    /// <summary>K(x, x′) = (κ/2)(x − x′)².</summary>
    [Kernel]
    public static double K(double x, double x2) => 0.5 * Kappa * (x - x2) * (x - x2);

    /// <summary>F(x) = a b x: with U it makes the well ½a(x − b)² up to the constant ½a b².</summary>
    [Potential]
    public static double F(double x) => A * B * x;

    /// <summary>U(x) = ½a x².</summary>
    [Confinement]
    public static double U(double x) => 0.5 * A * x * x;
}
