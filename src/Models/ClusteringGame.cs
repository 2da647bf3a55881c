namespace MeanField.Models;

/// <summary>
/// One population of the mean-field-game clustering of Aquilanti–Cacace–Camilli–De Maio 2020 on the circle
/// (specs/clustering.md): an agent pays the running cost ½|x − c₀|² to stay away from its population's barycentre,
/// here placed at the centre c₀ = ½ of 𝕋 = [0, 1), and controls its drift: H(x, p, m) = ½p² − ½(x − ½)², ν = 0.01.
/// (x − ½)² is the squared torus distance to ½ for x ∈ [0, 1). On ℝ the ergodic solution is u = ½(x − ½)² + const,
/// λ = ν; <see cref="MfgClustering{TGame}"/> translates it to each population's barycentre.
/// </summary>
[MeanFieldGame(Viscosity = 0.01)]
public partial struct ClusteringGame
{
    /// <summary>H(x, p, m) = ½p² − ½(x − ½)²: no local coupling (the populations interact through their barycentres).</summary>
    [Hamiltonian]
    public static double H(double x, double p, double m) => (0.5 * p * p) - (0.5 * (x - 0.5) * (x - 0.5));
}
