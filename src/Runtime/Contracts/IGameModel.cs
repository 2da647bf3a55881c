namespace MeanField;

/// <summary>
/// The description of a mean-field game on the torus 𝕋^d = [0, 1)^d that the PDE solvers consume (specs/mfg.md):
/// the viscosity ν and the <b>numerical Hamiltonian</b> Ĥ(x, p⁻, p⁺, m) of the upwind scheme, with the coupling F(m)
/// and the source f̃(x) folded in (H = ½|p|² − f̃(x) − F(m) for the quadratic games of the reference cases).
/// Convention: players minimise, the HJB equation is −νΔu + H(x, m, ∇u) + λ = 0 and the optimal drift is −∂_pH.
/// The MeanField generator will implement it (explicitly) for a declared Hamiltonian; solvers constrain
/// <c>where TGame : struct, IGameModel&lt;TGame&gt;</c> so the JIT inlines the calls.
/// </summary>
/// <remarks>
/// <para>Variables at one grid node, in this order (2d + 1 of them): p⁻_0 … p⁻_{d−1} (the backward differences
/// (U_g − U_{g−e_k})/h_k), p⁺_0 … p⁺_{d−1} (the forward differences (U_{g+e_k} − U_g)/h_k), then m (the density at
/// the node). Gradients and Hessians use this order.</para>
/// <para>Ĥ must be consistent (Ĥ(x, p, p, m) = H(x, m, p)), non-decreasing in each p⁻_k and non-increasing in each
/// p⁺_k (monotone), and convex in (p⁻, p⁺) (for H convex in p): e.g. the Engquist–Osher form
/// Σ_k ½[max(p⁻_k, 0)² + min(p⁺_k, 0)²] − f̃(x) − F(m). At a kink the derivative is taken as 0 (semismooth).</para>
/// </remarks>
/// <typeparam name="TSelf">The game type itself.</typeparam>
public interface IGameModel<TSelf> where TSelf : struct, IGameModel<TSelf>
{
    /// <summary>The derived formulas in readable notation (a generated game's file header); empty for a hand-written game.</summary>
    static virtual string Derivation => string.Empty;

    /// <summary>The same formulas one quantity at a time, e.g. <c>Formulas["Ĥ"]</c>; empty for a hand-written game.</summary>
    static virtual DerivedFormulas Formulas => new(typeof(TSelf).Name, []);

    /// <summary>
    /// Whether H depends on the population's <b>mean control</b> μ(t) = −∫ ∂ₚH(x, ∇u, m) m dx (a mean field of
    /// controls, as in crowd trading, specs/mfg.md §5.3), through H(x, p, m) + μ·c(x) with
    /// c = <see cref="MeanControlCoupling"/>; false by default. Ĥ and its derivatives are then those of H at μ = 0; the
    /// solvers that support it (<see cref="FiniteHorizonSolver{TGame}"/>, which makes the mean controls μ^k unknowns of its Newton system) add μ·c(x) themselves, and the others
    /// refuse such a game.
    /// </summary>
    static virtual bool HasMeanControl => false;

    /// <summary>c(x), the coefficient of the mean control μ in H (see <see cref="HasMeanControl"/>); 0 by default.</summary>
    /// <param name="x">The position, d values.</param>
    static virtual double MeanControlCoupling(ReadOnlySpan<double> x) => 0;

    /// <summary>The space dimension d: 1 or 2 for the finite-difference solvers; up to 64 for a game in the vector form.</summary>
    static abstract int Dimension { get; }

    /// <summary>The viscosity ν &gt; 0 (the noise is √(2ν) dW).</summary>
    static abstract double Viscosity { get; }

    /// <summary>
    /// Ĥ(x, p⁻, p⁺, m), returned, and its 2d + 1 partial derivatives (∂/∂p⁻_k, ∂/∂p⁺_k, ∂/∂m, in that order) written to
    /// <paramref name="gradient"/>: one call, so that generated code shares work between the value and its partials.
    /// </summary>
    /// <param name="x">The node's position, d values in [0, 1).</param>
    /// <param name="pMinus">The backward differences D⁻U, d values.</param>
    /// <param name="pPlus">The forward differences D⁺U, d values.</param>
    /// <param name="m">The density at the node (&gt; 0).</param>
    /// <param name="gradient">Receives 2d + 1 values.</param>
    static abstract double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient);

    /// <summary>
    /// Ĥ, its gradient (as <see cref="NumericalHamiltonian(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, double, Span{double})"/>)
    /// and its Hessian in the same 2d + 1 variables: all (2d + 1)² values (zeros included), row-major, written to <paramref name="hessian"/>.
    /// The Jacobian of the Fokker–Planck rows needs the Hessian: FP = (∂HJB/∂U)ᵀ M contains ∂Ĥ/∂p.
    /// </summary>
    /// <param name="x">The node's position, d values.</param>
    /// <param name="pMinus">The backward differences, d values.</param>
    /// <param name="pPlus">The forward differences, d values.</param>
    /// <param name="m">The density at the node (&gt; 0).</param>
    /// <param name="gradient">Receives 2d + 1 values.</param>
    /// <param name="hessian">Receives (2d + 1)² values, row-major, symmetric.</param>
    static abstract double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian);

    /// <summary>The initial density m₀(x) of the finite-horizon game (positive, integrating to 1 over 𝕋^d).</summary>
    /// <param name="x">The position, d values.</param>
    static abstract double InitialDensity(ReadOnlySpan<double> x);

    /// <summary>The terminal cost g(x, m) of the finite-horizon game: u(T, x) = g(x, m(T, x)).</summary>
    /// <param name="x">The position, d values.</param>
    /// <param name="m">The density at x at the final time.</param>
    static abstract double TerminalCost(ReadOnlySpan<double> x, double m);

    /// <summary>∂g/∂m(x, m), for the exact Jacobian of the finite-horizon system (0 when g does not depend on m).</summary>
    /// <param name="x">The position, d values.</param>
    /// <param name="m">The density at x at the final time.</param>
    static abstract double TerminalCostDerivative(ReadOnlySpan<double> x, double m);
}
