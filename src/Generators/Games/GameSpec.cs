using MeanField.Generators.Helpers;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Games;

/// <summary>
/// Everything the emitter needs to write one game, as equatable data: the shared <see cref="ModelSpec"/> (names; the
/// layout lists the Hamiltonian's scalar arguments) and the game's formulas over the symbols named here.
/// </summary>
/// <param name="Namespace">See <see cref="ModelSpec"/>.</param>
/// <param name="TypeName">See <see cref="ModelSpec"/>.</param>
/// <param name="TypeKeyword">See <see cref="ModelSpec"/>.</param>
/// <param name="Layout">The Hamiltonian's scalar arguments x, p, m (no channels).</param>
/// <param name="Dimension">d, 1 or 2.</param>
/// <param name="Viscosity">ν &gt; 0.</param>
/// <param name="Position">The symbols of x, d of them (the Hamiltonian's parameter names).</param>
/// <param name="Gradient">The symbols of p = ∇u, d of them.</param>
/// <param name="Density">The symbol of m.</param>
/// <param name="PMinus">The symbols of the backward differences p⁻_k (fresh names).</param>
/// <param name="PPlus">The symbols of the forward differences p⁺_k.</param>
/// <param name="MethodName">The declared method: the Hamiltonian or the Lagrangian.</param>
/// <param name="Lagrangian">L(x, v, m) when the game declares a Lagrangian (H is then its Legendre transform).</param>
/// <param name="Velocity">The symbols of v when <paramref name="Lagrangian"/> is set, else empty.</param>
/// <param name="Hamiltonian">H(x, p, m).</param>
/// <param name="Minimisers">p*_k, the minimiser of H in p_k (may depend on x and m).</param>
/// <param name="Numerical">Ĥ(x, p⁻, p⁺, m), the Engquist–Osher numerical Hamiltonian.</param>
/// <param name="InitialDensity">m₀(x), or null (uniform).</param>
/// <param name="TerminalCost">g(x, m), or null (0).</param>
/// <param name="MeanControl">The symbol of the mean control μ when H declares it (1-D), else null.</param>
/// <param name="MeanControlCoupling">c(x) = ∂H/∂μ when <paramref name="MeanControl"/> is set (H = H|_{μ=0} + μ·c(x)).</param>
internal sealed record GameSpec(
    string Namespace,
    string TypeName,
    string TypeKeyword,
    InputLayout Layout,
    int Dimension,
    double Viscosity,
    EquatableArray<string> Position,
    EquatableArray<string> Gradient,
    string Density,
    EquatableArray<string> PMinus,
    EquatableArray<string> PPlus,
    string MethodName,
    Expr? Lagrangian,
    EquatableArray<string> Velocity,
    Expr Hamiltonian,
    EquatableArray<Expr> Minimisers,
    Expr Numerical,
    Expr? InitialDensity,
    Expr? TerminalCost,
    string? MeanControl,
    Expr? MeanControlCoupling) : ModelSpec(Namespace, TypeName, TypeKeyword, Layout);
