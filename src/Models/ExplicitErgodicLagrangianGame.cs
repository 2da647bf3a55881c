namespace MeanField.Models;

/// <summary>
/// <see cref="ExplicitErgodicGame"/> declared by its running cost instead of its Hamiltonian:
/// L(x, v, m) = ½v² + f̃(x) + ln m, whose Legendre transform sup_v [−pv − L] is ½p² − f̃(x) − ln m.
/// </summary>
[MeanFieldGame(Viscosity = 0.5)]
public partial struct ExplicitErgodicLagrangianGame
{
    /// <summary>L(x, v, m) = ½v² + f̃(x) + ln m.</summary>
    [Lagrangian]
    public static double L(double x, double v, double m) => (0.5 * v * v) + Source(x) + Math.Log(m);

    /// <summary>The amplitude c of the exact solution (a model's formulas read only its own members).</summary>
    public const double C = 0.5;

    /// <summary>f̃ of <see cref="ExplicitErgodicGame.Source"/>.</summary>
    public static double Source(double x)
        => (2 * Math.PI * Math.PI * ((-C * Math.Sin(2 * Math.PI * x)) + (C * C * Math.Cos(2 * Math.PI * x) * Math.Cos(2 * Math.PI * x))))
           - (2 * C * Math.Sin(2 * Math.PI * x));
}
