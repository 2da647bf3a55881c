using MeanField;

namespace LangevinSample;

/// <summary>
/// Particles x ∈ R confined by a quadratic well around b and attracting each other quadratically:
/// F(m) = ∫ U dm + ½∬ K dm dm, U(x) = ½a(x − b)², K(x, x′) = (κ/2)(x − x′)².
/// </summary>
/// <remarks>
/// <para>First variation: δF/δm(m, x) = ½a(x − b)² + (κ/2)∫(x − x′)² dm(x′) = ½a(x − b)² + (κ/2)(x − m̄)² + const,
/// m̄ = ∫x dm, so ∇δF/δm = a(x − b) + κ(x − m̄).</para>
/// <para>Gibbs measure of mean-field Langevin with noise σ and reference N(0, s²) (specs/particles.md §2.1):
/// −log m*(x) = (2/σ²)[½a(x − b)² + (κ/2)(x − m̄)²] + x²/(2s²) + const, a Gaussian of precision
/// P = (2/σ²)(a + κ) + 1/s² and mean (2/σ²)(ab + κm̄)/P. The mean must be m̄ itself (self-consistency):
/// m̄(P − 2κ/σ²) = 2ab/σ², i.e. m̄ = ab/(a + σ²/(2s²)). κ does not move the mean; it narrows the law.</para>
/// <para>With a = b = κ = 1 and σ = s = 1: mean 1/1.5 = 2/3, precision 2·2 + 1 = 5, variance 1/5 = 0.2.</para>
/// </remarks>
[InteractionEnergy]
public partial struct QuadraticAttraction
{
    /// <summary>a, the stiffness of the confinement.</summary>
    public const double A = 1.0;

    /// <summary>b, the centre of the confinement.</summary>
    public const double B = 1.0;

    /// <summary>κ, the strength of the attraction.</summary>
    public const double Kappa = 1.0;

    /// <summary>K(x, x′) = (κ/2)(x − x′)².</summary>
    [Kernel]
    public static double K(double x, double x2) => 0.5 * Kappa * (x - x2) * (x - x2);

    /// <summary>U(x) = ½a(x − b)².</summary>
    [Confinement]
    public static double U(double x) => 0.5 * A * (x - B) * (x - B);
}
