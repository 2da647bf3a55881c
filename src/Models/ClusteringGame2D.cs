namespace MeanField.Models;

/// <summary>
/// <see cref="ClusteringGame"/> on the 2-torus (specs/clustering.md): H = ½|p|² − ½|x − c₀|², c₀ = (½, ½), ν = 0.01;
/// on ℝ² the ergodic solution is u = ½|x − c₀|² + const, λ = 2ν.
/// </summary>
[MeanFieldGame(Viscosity = 0.01)]
public partial struct ClusteringGame2D
{
    /// <summary>H(x, y, px, py, m) = ½(px² + py²) − ½((x − ½)² + (y − ½)²).</summary>
    [Hamiltonian]
    public static double H(double x, double y, double px, double py, double m)
        => (0.5 * ((px * px) + (py * py))) - (0.5 * (((x - 0.5) * (x - 0.5)) + ((y - 0.5) * (y - 0.5))));
}
