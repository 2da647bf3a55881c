namespace MeanField;

/// <summary>
/// Marks a <c>partial struct</c> as a two-layer mean-field network
/// f(x) = (1/n) Σ_i φ(x; θ_i). The MeanField generator differentiates the annotated members at
/// compile time and makes the type implement <see cref="INetworkModel{TSelf}"/>, so it can be
/// passed to the solvers: <c>new GradientFlow&lt;MyNetwork&gt;(particles, data, options)</c>.
/// </summary>
/// <remarks>
/// The type must hold exactly one of <see cref="ActivationAttribute"/> (ridge unit
/// φ = c·σ(w·x + b)) or <see cref="UnitAttribute"/> (any unit), exactly one
/// <see cref="CostAttribute"/>, and at most one <see cref="RegularizerAttribute"/>.
/// The type is a struct (its members are static) because the solvers are generic over it and .NET
/// specialises generic code for struct type arguments. See specs/networks.md for the supported C# subset.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class MeanFieldNetworkAttribute : Attribute;

/// <summary>
/// The activation σ of a ridge unit φ(x; c, w, b) = c·σ(w·x + b).
/// Signature: <c>static double Name(double z)</c>, expression-bodied.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ActivationAttribute : Attribute;

/// <summary>
/// A general unit φ(x; θ). Signature: <c>static double Name(p1, …, pk, ReadOnlySpan&lt;double&gt; x)</c>
/// where each parameter pj is a scalar (<c>double</c>) or a vector (<c>ReadOnlySpan&lt;double&gt;</c>,
/// of the input's dimension d) and the last parameter is the input x.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class UnitAttribute : Attribute;

/// <summary>
/// The per-sample loss ℓ(y, ŷ). Signature: <c>static double Name(double y, double prediction)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CostAttribute : Attribute;

/// <summary>
/// An optional confinement U(θ) added to the energy as ∫ U dμ = (1/n) Σ_i U(θ_i).
/// Signature: the unit's parameters without the input, in the same order
/// (for an <see cref="ActivationAttribute"/> model: <c>(double c, ReadOnlySpan&lt;double&gt; w, double b)</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RegularizerAttribute : Attribute;

/// <summary>
/// Marks a <c>partial struct</c> as an interaction energy over a measure μ of particles θ:
/// E(μ) = C − ∫ F dμ + ∫ U dμ + ½ ∬ K(θ, θ′) dμ(θ) dμ(θ′). The generator differentiates the annotated members and
/// makes the type implement <see cref="IInteractionModel{TSelf}"/>. The type holds exactly one
/// <see cref="KernelAttribute"/>, at most one <see cref="PotentialAttribute"/> and at most one
/// <see cref="ConfinementAttribute"/>. See specs/interactions.md.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class InteractionEnergyAttribute : Attribute;

/// <summary>
/// The interaction kernel K(θ, θ′). Signature: the particle's parameters twice, first θ then θ′, in the same order
/// and of the same types: <c>static double Name(double c, ReadOnlySpan&lt;double&gt; w, double c2, ReadOnlySpan&lt;double&gt; w2)</c>.
/// Vectors enter only through <see cref="Channels"/> (Dot, SquaredNorm, SquaredDistance).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class KernelAttribute : Attribute;

/// <summary>
/// An optional potential F(θ), entering the energy as −∫ F dμ. Signature: the particle's parameters once, in the
/// kernel's order: <c>static double Name(double c, ReadOnlySpan&lt;double&gt; w)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class PotentialAttribute : Attribute;

/// <summary>
/// An optional confinement U(θ), entering the energy as +∫ U dμ. Signature as for <see cref="PotentialAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ConfinementAttribute : Attribute;

/// <summary>
/// Marks a <c>partial struct</c> as a mean-field game on the torus 𝕋^d (specs/mfg.md): players minimise,
/// −ν Δu + H(x, ∇u, m) + λ = 0 (ergodic) or −∂ₜu − ν Δu + H(x, ∇u, m) = 0 (finite horizon), and the density follows
/// ∂ₜm − ν Δm − div(m ∂ₚH) = 0. The generator makes the type implement <see cref="IGameModel{TSelf}"/>: the monotone
/// (Engquist–Osher) numerical Hamiltonian of the upwind scheme with its exact gradient and Hessian, so the PDE solvers
/// assemble the discrete system and its exact Jacobian: <c>ErgodicSolver&lt;MyGame&gt;</c>.
/// </summary>
/// <remarks>
/// The type holds exactly one of <see cref="HamiltonianAttribute"/> or <see cref="LagrangianAttribute"/>, and at most
/// one <see cref="InitialDensityAttribute"/> and one <see cref="TerminalCostAttribute"/>. In 1-D and 2-D the dimension
/// is read off the Hamiltonian's signature; a game whose position is a <c>ReadOnlySpan&lt;double&gt;</c> (any d, for the
/// mesh-free solvers) states it with <see cref="Dimension"/>. The finite-difference solvers take d = 1 and 2.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class MeanFieldGameAttribute : Attribute
{
    /// <summary>The viscosity ν &gt; 0 (the players' noise is √(2ν) dW). Required.</summary>
    public double Viscosity { get; set; }

    /// <summary>
    /// The dimension d (1 to 64) of a game declared in the vector form <c>H(ReadOnlySpan&lt;double&gt; x,
    /// ReadOnlySpan&lt;double&gt; p, double m)</c>, required there; optional in the scalar forms, where it must match the
    /// signature. 0 (the default): not stated.
    /// </summary>
    public int Dimension { get; set; }
}

/// <summary>
/// The Hamiltonian H(x, p, m), convex in p. Signature: <c>static double Name(double x, double p, double m)</c> in 1-D,
/// <c>static double Name(double x, double y, double px, double py, double m)</c> in 2-D (position, then the
/// components of p = ∇u, then the density), expression-bodied; or, in any dimension d (stated by
/// <see cref="MeanFieldGameAttribute.Dimension"/>), <c>static double Name(ReadOnlySpan&lt;double&gt; x,
/// ReadOnlySpan&lt;double&gt; p, double m)</c>, the vectors entering through <see cref="Channels"/> (SquaredNorm, Dot,
/// Sum) and constant indices (<c>x[0]</c>). It must be separable in p (no px·py terms).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class HamiltonianAttribute : Attribute;

/// <summary>
/// The running cost L(x, v, m) of a player moving at velocity v, instead of a Hamiltonian: it must be quadratic and
/// convex in v (separable in 2-D), and the generator derives H(x, p, m) = sup_v [−p·v − L(x, v, m)] by the Legendre
/// transform. Signature as for <see cref="HamiltonianAttribute"/> with v in place of p.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LagrangianAttribute : Attribute;

/// <summary>
/// The initial density m₀(x) of the finite-horizon game. Signature: <c>static double Name(double x)</c> (1-D),
/// <c>(double x, double y)</c> (2-D) or <c>(ReadOnlySpan&lt;double&gt; x)</c> (the vector form). Optional: the uniform
/// density 1.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class InitialDensityAttribute : Attribute;

/// <summary>
/// The terminal cost g(x, m) of the finite-horizon game. Signature: <c>static double Name(double x, double m)</c> (1-D)
/// or <c>(double x, double y, double m)</c> (2-D). Optional: 0.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TerminalCostAttribute : Attribute;
