using MeanField.Runtime.Tests.Pde;

namespace MeanField.Runtime.Tests.Dgm;

/// <summary>A dimension known at compile time, so that one game struct serves every d.</summary>
internal interface IStaticDimension
{
    static abstract int Value { get; }
}

internal readonly struct D1 : IStaticDimension
{
    public static int Value => 1;
}

internal readonly struct D2 : IStaticDimension
{
    public static int Value => 2;
}

internal readonly struct D5 : IStaticDimension
{
    public static int Value => 5;
}

/// <summary>
/// The peer's ergodic example in any d, hand-written until the generator emits d &gt; 2 (specs/dgm.md §6.2): ν = ½,
/// H = ½|p|² − f̃(x) − ln m, f̃ = Σ_i [2π²c² cos²(2πx_i) − (2π² + 2)c sin(2πx_i)], exact u = −c Σ sin 2πx_i,
/// m = e^{2cΣ sin 2πx_i}/I₀(2c)^d, λ = −d ln I₀(2c). Pointwise residuals (specs/mfg.md §9.2, with ∂H/∂p_k = p_k,
/// ∂²H/∂p_k² = 1 and no mixed terms): R_HJB = −∂ₜu − ν Σ u_kk + ½|p|² − f̃ − ln m + λ,
/// R_FP = ∂ₜm − ν Σ m_kk − Σ_k (m_k p_k + m u_kk).
/// </summary>
internal readonly struct ExplicitTorusGame<TDim> : IGameResiduals<ExplicitTorusGame<TDim>>, IGameModel<ExplicitTorusGame<TDim>>
    where TDim : struct, IStaticDimension
{
    private const double Nu = 0.5;

    public static int PointInputCount => (5 * TDim.Value) + 5;

    public static int Dimension => TDim.Value;

    public static double Viscosity => Nu;

    public static void PointResiduals(ReadOnlySpan<double> inputs, Span<double> residuals, Span<double> jacobian)
    {
        int d = TDim.Value, width = PointInputCount;
        int iu = d, ip = d + 1, iuu = (2 * d) + 1, im = (3 * d) + 1, imk = (3 * d) + 2, imm = (4 * d) + 2;
        ReadOnlySpan<double> x = inputs[..d];
        double m = inputs[im];
        jacobian[..(2 * width)].Clear();
        double rh = -inputs[(5 * d) + 2] - ExplicitErgodic.Source(x) - Math.Log(m) + inputs[(5 * d) + 4];
        double rf = inputs[(5 * d) + 3];
        const double c = ExplicitErgodic.C, pi = Math.PI;
        double sumUkk = 0;
        for (int k = 0; k < d; k++)
        {
            double p = inputs[ip + k], ukk = inputs[iuu + k], mk = inputs[imk + k], mkk = inputs[imm + k];
            sumUkk += ukk;
            rh += (-Nu * ukk) + (0.5 * p * p);
            rf += (-Nu * mkk) - (mk * p) - (m * ukk);
            (double s, double co) = Math.SinCos(2 * pi * x[k]);

            // −∂f̃/∂x_k = 8π³c² cos sin + 2π(2π² + 2)c cos.
            jacobian[k] = (8 * pi * pi * pi * c * c * co * s) + (2 * pi * ((2 * pi * pi) + 2) * c * co);
            jacobian[ip + k] = p;
            jacobian[iuu + k] = -Nu;
            jacobian[width + ip + k] = -mk;
            jacobian[width + iuu + k] = -m;
            jacobian[width + imk + k] = -p;
            jacobian[width + imm + k] = -Nu;
        }

        jacobian[iu] = 0;
        jacobian[im] = -1 / m;
        jacobian[(5 * d) + 2] = -1;
        jacobian[(5 * d) + 4] = 1;
        jacobian[width + im] = -sumUkk;
        jacobian[width + (5 * d) + 3] = 1;
        residuals[0] = rh;
        residuals[1] = rf;
    }

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, default);

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, hessian);

    public static double InitialDensity(ReadOnlySpan<double> x) => ExplicitErgodic.M(x);

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => ExplicitErgodic.U(x);

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0;
}

/// <summary>
/// An anisotropic game in d = 2, H = ½(p₀² + 2p₁²) − ln m: ∂²H/∂p_k² differs between k, so the Fokker–Planck residual
/// weighs u_00 and u_11 differently and the trainer, which knows only Δu, must refuse it.
/// </summary>
internal readonly struct AnisotropicGame : IGameResiduals<AnisotropicGame>, IGameModel<AnisotropicGame>
{
    public static int PointInputCount => 15;

    public static int Dimension => 2;

    public static double Viscosity => 0.5;

    public static void PointResiduals(ReadOnlySpan<double> inputs, Span<double> residuals, Span<double> jacobian)
    {
        // Only the entries the trainer checks matter here; the full residual is that of the explicit game with a_k = (1, 2).
        jacobian[..30].Clear();
        double m = inputs[7];
        residuals[0] = (0.5 * ((inputs[3] * inputs[3]) + (2 * inputs[4] * inputs[4]))) - Math.Log(m) + inputs[14];
        residuals[1] = -(m * (inputs[5] + (2 * inputs[6])));
        jacobian[5] = jacobian[6] = -0.5;
        jacobian[15 + 5] = -m;
        jacobian[15 + 6] = -2 * m;
        jacobian[15 + 10] = jacobian[15 + 11] = -0.5;
    }

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => throw new NotSupportedException("Only the pointwise residuals are used.");

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
        => throw new NotSupportedException("Only the pointwise residuals are used.");

    public static double InitialDensity(ReadOnlySpan<double> x) => 1;

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => 0;

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0;
}
