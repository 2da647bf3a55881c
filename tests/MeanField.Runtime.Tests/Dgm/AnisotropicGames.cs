namespace MeanField.Runtime.Tests.Dgm;

/// <summary>
/// The explicit ergodic example with an anisotropic kinetic part (specs/dgm.md §6.8): ν = ½,
/// H = ½(a₁p_x² + a₂p_y²) − f̃₁(x) − f̃₂(y) − ln m with f̃_k(s) = 2π²a_k c² cos²(2πs) − (2π² + 2a_k) c sin(2πs), a = (1, 2),
/// c = ½. Exact solution: u = −c (sin 2πx + sin 2πy), m = Π_k e^{2a_k c sin 2πx_k}/I₀(2a_k c) (the flux ν∇m + m a∘∇u
/// vanishes coordinate by coordinate), λ = −Σ_k ln I₀(2a_k c). Its FP residual weighs ∂²u/∂x² and ∂²u/∂y² by −m a₁ and
/// −m a₂: one weighted Laplacian beside Δu.
/// </summary>
[MeanFieldGame(Viscosity = 0.5)]
public partial struct AnisotropicExplicitGame2D
{
    /// <summary>c.</summary>
    public const double C = 0.5;

    /// <summary>a₁, a₂.</summary>
    public const double A1 = 1, A2 = 2;

    /// <summary>H(x, y, p_x, p_y, m).</summary>
    [Hamiltonian]
    public static double H(double x, double y, double px, double py, double m)
        => (0.5 * A1 * px * px) + (0.5 * A2 * py * py) - SourceX(x) - SourceY(y) - Math.Log(m);

    /// <summary>f̃₁.</summary>
    public static double SourceX(double x)
        => (2 * Math.PI * Math.PI * A1 * C * C * Math.Cos(2 * Math.PI * x) * Math.Cos(2 * Math.PI * x)) - (((2 * Math.PI * Math.PI) + (2 * A1)) * C * Math.Sin(2 * Math.PI * x));

    /// <summary>f̃₂.</summary>
    public static double SourceY(double y)
        => (2 * Math.PI * Math.PI * A2 * C * C * Math.Cos(2 * Math.PI * y) * Math.Cos(2 * Math.PI * y)) - (((2 * Math.PI * Math.PI) + (2 * A2)) * C * Math.Sin(2 * Math.PI * y));
}

/// <summary>
/// A 3-D game whose curvature has one fixed anisotropic direction (a = (1, 2, 1)) except on the slab x₀ &gt; 0.96, where
/// ∂²H/∂p₂² grows with x₀: outside the span the trainer's probe (positions in [0.05, 0.95]) finds, so a training point
/// there is refused (specs/dgm.md §5.1).
/// </summary>
[MeanFieldGame(Viscosity = 0.5, Dimension = 3)]
public partial struct SlabCurvatureGame3D
{
    /// <summary>H(x, p, m).</summary>
    [Hamiltonian]
    public static double H(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double m)
        => (0.5 * p[0] * p[0]) + (p[1] * p[1]) + (0.5 * (1 + (x[0] > 0.96 ? x[0] - 0.96 : 0)) * p[2] * p[2]) - Math.Log(m);
}

/// <summary>
/// A 3-D game with a constant anisotropic curvature, a = (1, 2, 1): one weighted Laplacian (±(−1, 2, −1)/√6) in d = 3,
/// where R = 1 &lt; d − 1 keeps the orthonormal direction (specs/dgm.md §5.1), and a source so that u is not trivial.
/// </summary>
[MeanFieldGame(Viscosity = 0.5, Dimension = 3)]
public partial struct ConstantCurvatureGame3D
{
    /// <summary>H(x, p, m).</summary>
    [Hamiltonian]
    public static double H(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double m)
        => (0.5 * p[0] * p[0]) + (p[1] * p[1]) + (0.5 * p[2] * p[2]) - Math.Sin(2 * Math.PI * x[0]) - (0.5 * Math.Cos(2 * Math.PI * x[1])) - Math.Log(m);
}

/// <summary>
/// A 2-D game isotropic except on the slab x &gt; 0.96 (∂²H/∂p_y² = 1 + x − 0.96 there): the probe (positions in
/// [0.05, 0.95]) finds it isotropic, so a training point on the slab is refused (specs/dgm.md §5.1).
/// </summary>
[MeanFieldGame(Viscosity = 0.5)]
public partial struct SlabOnlyGame2D
{
    /// <summary>H(x, y, p_x, p_y, m).</summary>
    [Hamiltonian]
    public static double H(double x, double y, double px, double py, double m)
        => (0.5 * px * px) + (0.5 * (1 + (x > 0.96 ? x - 0.96 : 0)) * py * py) - Math.Log(m);
}
