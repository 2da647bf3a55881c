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
