using System.Runtime.Intrinsics;

namespace MeanField;

/// <summary>
/// The compile-time-generated description of an interaction energy over a measure μ of particles
/// (Rotskoff–Vanden-Eijnden 2018):
/// E(μ) = C − ∫ F dμ + ∫ U dμ + ½ ∬ K(θ, θ′) dμ(θ) dμ(θ′), with first variation
/// δE/δμ(θ) = −F(θ) + U(θ) + ∫ K(θ, θ′) dμ(θ′) (for a symmetric K).
/// Implemented (explicitly) by the MeanField generator for every <see cref="InteractionEnergyAttribute"/> type;
/// solvers constrain <c>where TModel : struct, IInteractionModel&lt;TModel&gt;</c>.
/// </summary>
/// <remarks>
/// The kernel operators read their inputs in the layout's input order
/// <c>[A scalars][A channels][B scalars][B channels][pair channels][A side values][B side values]</c> (see
/// <see cref="InteractionLayout"/>) and write gradients in the same order, for every input but the side values. The
/// potential and confinement operators read the first S + Q inputs (one particle's block). Vector overloads evaluate
/// lane k on lane k of every input.
/// </remarks>
/// <typeparam name="TSelf">The model type itself.</typeparam>
public interface IInteractionModel<TSelf> where TSelf : struct, IInteractionModel<TSelf>
{
    /// <summary>Parameter names and channels.</summary>
    static abstract InteractionLayout Layout { get; }

    /// <summary>The derived formulas in readable notation (the generated file's header).</summary>
    static abstract string Derivation { get; }

    /// <summary>The same formulas one quantity at a time: <c>Formulas["∂K/∂w"]</c>.</summary>
    static abstract DerivedFormulas Formulas { get; }

    /// <summary>K(θ, θ′) at one pair.</summary>
    static abstract double Kernel(ReadOnlySpan<double> inputs);

    /// <summary>K for 2 pairs at once.</summary>
    static abstract Vector128<double> Kernel(ReadOnlySpan<Vector128<double>> inputs);

    /// <summary>K for 4 pairs at once.</summary>
    static abstract Vector256<double> Kernel(ReadOnlySpan<Vector256<double>> inputs);

    /// <summary>K for 8 pairs at once.</summary>
    static abstract Vector512<double> Kernel(ReadOnlySpan<Vector512<double>> inputs);

    /// <summary>∂K/∂(every input but the side values), written to <paramref name="gradient"/> in input order.</summary>
    static abstract void KernelGradient(ReadOnlySpan<double> inputs, Span<double> gradient);

    /// <inheritdoc cref="KernelGradient(ReadOnlySpan{double}, Span{double})"/>
    static abstract void KernelGradient(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient);

    /// <inheritdoc cref="KernelGradient(ReadOnlySpan{double}, Span{double})"/>
    static abstract void KernelGradient(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient);

    /// <inheritdoc cref="KernelGradient(ReadOnlySpan{double}, Span{double})"/>
    static abstract void KernelGradient(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient);

    /// <summary>
    /// K, returned, and ∂K/∂(every input), written to <paramref name="gradient"/> in input order, at one pair: one
    /// evaluation sharing the work of both (the generator writes it with common subexpressions across K and ∇K; this
    /// default, for hand-written models, calls <see cref="Kernel(ReadOnlySpan{double})"/> and
    /// <see cref="KernelGradient(ReadOnlySpan{double}, Span{double})"/>). The engine calls it where it needs both.
    /// </summary>
    static virtual double KernelWithGradient(ReadOnlySpan<double> inputs, Span<double> gradient)
    {
        TSelf.KernelGradient(inputs, gradient);
        return TSelf.Kernel(inputs);
    }

    /// <inheritdoc cref="KernelWithGradient(ReadOnlySpan{double}, Span{double})"/>
    static virtual Vector128<double> KernelWithGradient(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient)
    {
        TSelf.KernelGradient(inputs, gradient);
        return TSelf.Kernel(inputs);
    }

    /// <inheritdoc cref="KernelWithGradient(ReadOnlySpan{double}, Span{double})"/>
    static virtual Vector256<double> KernelWithGradient(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient)
    {
        TSelf.KernelGradient(inputs, gradient);
        return TSelf.Kernel(inputs);
    }

    /// <inheritdoc cref="KernelWithGradient(ReadOnlySpan{double}, Span{double})"/>
    static virtual Vector512<double> KernelWithGradient(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient)
    {
        TSelf.KernelGradient(inputs, gradient);
        return TSelf.Kernel(inputs);
    }

    /// <summary>
    /// <see cref="KernelWithGradient(ReadOnlySpan{Vector256{double}}, Span{Vector256{double}})"/> from and into blocks'
    /// fields (models of at most <see cref="InputBlock{TVec}.Capacity"/> inputs, side values included): the engine's
    /// symmetric strips keep a pair's inputs and gradient in registers through it (a span makes each a store and a
    /// reload on the kernel's dependency chain). The generator writes it for 256 and 512 bits; this default, for
    /// hand-written models, calls the span overload on the block's fields.
    /// </summary>
    static virtual Vector256<double> KernelWithGradient(ref InputBlock<Vector256<double>> inputs, ref InputBlock<Vector256<double>> gradient) =>
        TSelf.KernelWithGradient(InputBlock<Vector256<double>>.AsSpan(ref inputs), InputBlock<Vector256<double>>.AsSpan(ref gradient));

    /// <inheritdoc cref="KernelWithGradient(ref InputBlock{Vector256{double}}, ref InputBlock{Vector256{double}})"/>
    static virtual Vector512<double> KernelWithGradient(ref InputBlock<Vector512<double>> inputs, ref InputBlock<Vector512<double>> gradient) =>
        TSelf.KernelWithGradient(InputBlock<Vector512<double>>.AsSpan(ref inputs), InputBlock<Vector512<double>>.AsSpan(ref gradient));

    /// <summary>
    /// K alone from a block's fields (see <see cref="KernelWithGradient(ref InputBlock{Vector256{double}}, ref InputBlock{Vector256{double}})"/>):
    /// the symmetric schedule's values-only strips (the energy). The generator writes it for 256 and 512 bits; this
    /// default calls the span overload on the block's fields.
    /// </summary>
    static virtual Vector256<double> Kernel(ref InputBlock<Vector256<double>> inputs) => TSelf.Kernel(InputBlock<Vector256<double>>.AsSpan(ref inputs));

    /// <inheritdoc cref="Kernel(ref InputBlock{Vector256{double}})"/>
    static virtual Vector512<double> Kernel(ref InputBlock<Vector512<double>> inputs) => TSelf.Kernel(InputBlock<Vector512<double>>.AsSpan(ref inputs));

    /// <summary>
    /// The H side values (<see cref="InteractionLayout.SideValueCount"/>) of one particle from its block, the first S + Q
    /// inputs: what the kernel operators read after the pair channels, computed once per particle by the same operations
    /// the kernel would do per pair (so the results are the same bits). The default, for models without side values,
    /// writes nothing.
    /// </summary>
    static virtual void SideValues(ReadOnlySpan<double> inputs, Span<double> values)
    {
    }

    /// <summary>F(θ) from the first S + Q inputs (0 when the model has no potential).</summary>
    static abstract double Potential(ReadOnlySpan<double> inputs);

    /// <summary>∂F/∂(scalars, particle channels), S + Q values (all 0 without a potential).</summary>
    static abstract void PotentialGradient(ReadOnlySpan<double> inputs, Span<double> gradient);

    /// <summary>U(θ) from the first S + Q inputs (0 when the model has no confinement).</summary>
    static abstract double Confinement(ReadOnlySpan<double> inputs);

    /// <summary>∂U/∂(scalars, particle channels), S + Q values (all 0 without a confinement).</summary>
    static abstract void ConfinementGradient(ReadOnlySpan<double> inputs, Span<double> gradient);
}
