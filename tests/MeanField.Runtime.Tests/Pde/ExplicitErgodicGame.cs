namespace MeanField.Runtime.Tests.Pde;

/// <summary>
/// The ergodic example with an explicit solution (Almulla–Ferreira–Gomes 2017; specs/mfg.md §5), hand-written until the
/// generator emits games: ν = ½, H = ½|p|² − f̃(x) − ln m with the Engquist–Osher numerical Hamiltonian
/// Ĥ = Σ_k ½[max(p⁻_k, 0)² + min(p⁺_k, 0)²] − f̃(x) − ln m, and
/// f̃(x) = Σ_i [2π²(−c sin 2πx_i + c² cos² 2πx_i) − 2c sin 2πx_i]. Exact: u = −c Σ sin 2πx_i,
/// m = Π exp(2c sin 2πx_i) / I₀(2c)^d, λ = −d ln I₀(2c).
/// </summary>
internal static class ExplicitErgodic
{
    /// <summary>The amplitude c of the exact solution (the peer's default).</summary>
    public const double C = 0.5;

    /// <summary>I₀(2c) = I₀(1), the ready-made game's constant (scipy.special.i0(1.0) gives the same double).</summary>
    public const double I0OfTwoC = MeanField.Models.ExplicitErgodicGame.I0OfTwoC;

    public static double Lambda(int d) => -d * Math.Log(I0OfTwoC);

    public static double U(ReadOnlySpan<double> x)
    {
        double s = 0;
        foreach (double xi in x)
        {
            s += Math.Sin(2 * Math.PI * xi);
        }

        return -C * s;
    }

    public static double M(ReadOnlySpan<double> x)
    {
        double m = 1;
        foreach (double xi in x)
        {
            m *= Math.Exp(2 * C * Math.Sin(2 * Math.PI * xi)) / I0OfTwoC;
        }

        return m;
    }

    /// <summary>
    /// The 5d + 5 pointwise-residual inputs (specs/mfg.md §9.2) of the exact solution at x, its derivatives written out by
    /// hand: u_k = −2πc cos 2πx_k, u_kk = 4π²c sin 2πx_k, m_k = 4πc cos(2πx_k) m, m_kk = m [(4πc cos 2πx_k)² − 8π²c sin 2πx_k];
    /// ∂ₜu = ∂ₜm = 0 and the exact λ.
    /// </summary>
    public static double[] ExactPointInputs(double[] x)
    {
        double m = M(x);
        var inputs = new List<double>(x) { U(x) };
        inputs.AddRange(x.Select(a => -2 * Math.PI * C * Math.Cos(2 * Math.PI * a)));
        inputs.AddRange(x.Select(a => 4 * Math.PI * Math.PI * C * Math.Sin(2 * Math.PI * a)));
        inputs.Add(m);
        inputs.AddRange(x.Select(a => 4 * Math.PI * C * Math.Cos(2 * Math.PI * a) * m));
        inputs.AddRange(x.Select(a => m * (Math.Pow(4 * Math.PI * C * Math.Cos(2 * Math.PI * a), 2) - (8 * Math.PI * Math.PI * C * Math.Sin(2 * Math.PI * a)))));
        inputs.AddRange([0, 0, Lambda(x.Length)]);
        return [.. inputs];
    }

    public static double Source(ReadOnlySpan<double> x)
    {
        double f = 0;
        foreach (double xi in x)
        {
            double s = Math.Sin(2 * Math.PI * xi), co = Math.Cos(2 * Math.PI * xi);
            f += (2 * Math.PI * Math.PI * ((-C * s) + (C * C * co * co))) - (2 * C * s);
        }

        return f;
    }

    public static double Hamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
    {
        int d = x.Length, n = (2 * d) + 1;
        double value = -Source(x) - Math.Log(m);
        if (!hessian.IsEmpty)
        {
            hessian[..(n * n)].Clear();
        }

        for (int k = 0; k < d; k++)
        {
            double b = Math.Max(pMinus[k], 0), a = Math.Min(pPlus[k], 0);
            value += 0.5 * ((a * a) + (b * b));
            gradient[k] = b;
            gradient[d + k] = a;
            if (!hessian.IsEmpty)
            {
                hessian[(k * n) + k] = pMinus[k] > 0 ? 1 : 0;
                hessian[((d + k) * n) + d + k] = pPlus[k] < 0 ? 1 : 0;
            }
        }

        gradient[2 * d] = -1 / m;
        if (!hessian.IsEmpty)
        {
            hessian[(n * n) - 1] = 1 / (m * m);
        }

        return value;
    }
}

/// <summary>The explicit ergodic example on 𝕋¹.</summary>
internal readonly struct ExplicitErgodic1D : IGameModel<ExplicitErgodic1D>
{
    public static int Dimension => 1;

    public static double Viscosity => 0.5;

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, default);

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, hessian);

    public static double InitialDensity(ReadOnlySpan<double> x) => ExplicitErgodic.M(x);

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => ExplicitErgodic.U(x);

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0;
}

/// <summary>The explicit ergodic example on 𝕋².</summary>
internal readonly struct ExplicitErgodic2D : IGameModel<ExplicitErgodic2D>
{
    public static int Dimension => 2;

    public static double Viscosity => 0.5;

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, default);

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, hessian);

    public static double InitialDensity(ReadOnlySpan<double> x) => ExplicitErgodic.M(x);

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => ExplicitErgodic.U(x);

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0;
}
