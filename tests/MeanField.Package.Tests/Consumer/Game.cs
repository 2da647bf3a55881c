using MeanField;

namespace PackageConsumer;

/// <summary>
/// A mean-field game that is not among the ready-made ones: a crowd on the circle with congestion-averse players
/// (kinetic cost ½p²·(1 + m)⁻¹ would not be separable-quadratic; here the cost of moving grows with the position,
/// ½a(x)p² with a(x) = 1 + ½cos 2πx), attracted to x = ½ (source cos 2πx) and averse to crowds (coupling m²).
/// </summary>
[MeanFieldGame(Viscosity = 0.25)]
public partial struct CrowdGame
{
    [Hamiltonian]
    public static double H(double x, double p, double m)
        => (0.5 * (1 + (0.5 * Math.Cos(2 * Math.PI * x))) * p * p) + Math.Cos(2 * Math.PI * x) - (m * m);
}

/// <summary>
/// <see cref="CrowdGame"/> declared by its running cost: L(x, v, m) = v² / (2a(x)) − cos 2πx + m², whose Legendre
/// transform sup_v [−pv − L] is ½a(x)p² + cos 2πx − m².
/// </summary>
[MeanFieldGame(Viscosity = 0.25)]
public partial struct CrowdLagrangianGame
{
    [Lagrangian]
    public static double L(double x, double v, double m)
        => (v * v / (2 * (1 + (0.5 * Math.Cos(2 * Math.PI * x))))) - Math.Cos(2 * Math.PI * x) + (m * m);
}

/// <summary>
/// A 2-D crowd whose cost of moving differs between the axes, ½a(x)p_x² + p_y² (a(x) = 1 + ½cos 2πx): ∂²H/∂p_k² is not
/// the same for both coordinates, so the Deep Galerkin trainer carries a weighted Laplacian for it (specs/dgm.md §5.1).
/// </summary>
[MeanFieldGame(Viscosity = 0.25)]
public partial struct CrowdGame2D
{
    [Hamiltonian]
    public static double H(double x, double y, double px, double py, double m)
        => (0.5 * (1 + (0.5 * Math.Cos(2 * Math.PI * x))) * px * px) + (py * py) + Math.Cos(2 * Math.PI * x) + (0.5 * Math.Sin(2 * Math.PI * y)) - (m * m);
}
