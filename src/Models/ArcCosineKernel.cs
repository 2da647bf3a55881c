namespace MeanField.Models;

/// <summary>
/// The ReLU arc-cosine kernel of degree 1 for Gaussian inputs (Cho–Saul 2009): the interaction of a ReLU student's
/// units θ = (c, w) in the population risk against a ReLU teacher,
/// K(θ, θ′) = E_{x~N(0, I)}[c relu(w·x) c′ relu(w′·x)] = c c′ |w||w′| J(u) / (2π),
/// u = cos α = w·w′ / (|w||w′|), J(u) = √(1 − u²) + (π − acos u) u.
/// </summary>
/// <remarks>
/// Written in the u-form so the gradient is finite and correct at α = 0 (the self-pair and parallel particles), where
/// dJ/du = π − acos u → π is finite but the derivatives of √(1 − u²) and of acos u, which cancel, are each singular.
/// Near u = 1 (and at u ≥ 1 from rounding) J is its series in t = 1 − u, whose derivative has no singular terms (its
/// √(2t) is multiplied by t, so the kink rule's derivative 0 for √ at t = 0 is the true limit). u is clamped against rounding.
/// The kernel is undefined at w = 0 (a unit with no direction).
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
    private static double Scaled(double cc, double s, double dot) => cc * s * J(dot / s) / (2 * Math.PI);

    /// <summary>
    /// J(u) = √(1 − u²) + (π − acos u) u. Within <see cref="SeriesBelowOne"/> of u = 1 (and above it, by rounding) it
    /// is its series in t = 1 − u, J = πu + √(2t)·t·(2/3 + t/30) + O(t^{7/2}), whose derivative π + O(√t) holds no
    /// singular terms; elsewhere the closed form (<see cref="Exact"/>). specs/interactions.md derives both.
    /// </summary>
    private static double J(double u) => u > 1 - SeriesBelowOne ? NearOne(u, Math.Max(0, 1 - u)) : Exact(u, Math.Max(-1, u));

    /// <summary>πu + √(2t)·t·(2/3 + t/30), t = 1 − u ≥ 0.</summary>
    private static double NearOne(double u, double t) => (Math.PI * u) + (Math.Sqrt(2 * t) * t * ((2.0 / 3) + (t / 30)));

    /// <summary>
    /// √(1 − v²) + (π − acos v) u with v = max(−1, u) (= u wherever u is a cosine): only the arguments of √ and acos
    /// are clamped, so dJ/du = (u − v)/√(1 − v²)·dv/du + (π − acos v) = π − acos u.
    /// </summary>
    private static double Exact(double u, double v) => Math.Sqrt(1 - (v * v)) + ((Math.PI - Math.Acos(v)) * u);

    /// <summary>Where the series takes over: at t = 1e-5 the series' error is ~t^{7/2} ≈ 3e-18 and the closed form's
    /// rounding, amplified by its singular terms ~1/√(2t), is ~1e-16/√(2t) ≈ 2e-14.</summary>
    private const double SeriesBelowOne = 1e-5;
}
