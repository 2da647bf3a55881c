namespace MeanField.Models;

/// <summary>
/// The ReLU arc-cosine kernel of degree 1 for Gaussian inputs (Cho–Saul 2009): the interaction of a ReLU student's
/// units θ = (c, w) in the population risk against a ReLU teacher,
/// K(θ, θ′) = E_{x~N(0, I)}[c relu(w·x) c′ relu(w′·x)] = c c′ |w||w′| J(u) / (2π),
/// u = cos α = w·w′ / (|w||w′|), J(u) = √(1 − u²) + (π − acos u) u.
/// </summary>
/// <remarks>
/// Written in the u-form so the gradient is finite and correct at α = 0 (the self-pair and parallel particles): there
/// dJ/du = π − acos u is finite, while the derivatives of √(1 − u²) and of acos u, which cancel, are each singular;
/// the generator's kink rule gives each the value 0 at u = ±1, so their sum is the correct 0 (specs/interactions.md).
/// u is clamped into [−1, 1] against rounding. The kernel is undefined at w = 0 (a unit with no direction).
/// The teacher's potential F(θ) = (1/k) Σ_j K(θ, θ*_j) is computed by the runtime from the teacher's particles.
/// </remarks>
[InteractionEnergy]
public partial struct ArcCosineKernel
{
    /// <summary>K(θ, θ′) = c c′ |w||w′| J(u) / (2π).</summary>
    [Kernel]
    public static double K(double c, ReadOnlySpan<double> w, double c2, ReadOnlySpan<double> w2)
        => Scaled(c * c2, Math.Sqrt(SquaredNorm(w) * SquaredNorm(w2)), Dot(w, w2));

    /// <summary>c c′ s J(u) / (2π) with s = |w||w′| and u = w·w′ / s.</summary>
    private static double Scaled(double cc, double s, double dot) => cc * s * J(dot / s, Clamp(dot / s)) / (2 * Math.PI);

    /// <summary>u clamped into [−1, 1] against rounding.</summary>
    private static double Clamp(double u) => Math.Max(-1, Math.Min(1, u));

    /// <summary>
    /// J = √(1 − v²) + (π − acos v) u with v = clamp(u) (= u wherever u is a cosine). Only the arguments of √ and acos
    /// are clamped: then dJ/du = (u − v)/√(1 − v²)·dv/du + (π − acos v), which is π − acos u for |u| &lt; 1 and, by the
    /// kink rule (dv/du = 0 at the clamp, the singular derivatives of √ and acos 0 at ±1), π at u = 1, its limit.
    /// </summary>
    private static double J(double u, double v) => Math.Sqrt(1 - (v * v)) + ((Math.PI - Math.Acos(v)) * u);
}
