using System.Runtime.Intrinsics;

namespace MeanField;

/// <summary>
/// The compile-time-generated description of a two-layer mean-field network
/// f(x) = (1/n) Σ_i φ(x; θ_i) with loss E[ℓ(y, f(x))] + (1/n) Σ_i U(θ_i).
/// Implemented (explicitly) by the MeanField generator for every <see cref="MeanFieldNetworkAttribute"/>
/// type; solvers constrain <c>where TModel : struct, INetworkModel&lt;TModel&gt;</c> so the JIT specialises
/// and inlines the generated operators.
/// </summary>
/// <remarks>
/// All unit operators read their inputs in the layout's input order
/// <c>[scalars][particle channels][sample channel][pair channels]</c> (see <see cref="NetworkLayout"/>)
/// and write gradients in the same order. Vector overloads evaluate lane k on lane k of every input;
/// they give the scalar overload's result to within rounding of the vectorised elementary functions.
/// </remarks>
/// <para>Models are structs: .NET compiles one specialised copy of generic code per struct type
/// argument, so each solver's hot loop calls the model's operators directly and inlines them; for class
/// type arguments the code is shared and every call goes through a runtime lookup.</para>
/// <typeparam name="TSelf">The model type itself.</typeparam>
public interface INetworkModel<TSelf> where TSelf : struct, INetworkModel<TSelf>
{
    /// <summary>Parameter names and channels of the unit.</summary>
    static abstract NetworkLayout Layout { get; }

    /// <summary>The derived formulas in readable notation (the generated file's header).</summary>
    static abstract string Derivation { get; }

    /// <summary>The same formulas one quantity at a time: <c>Formulas["∂φ/∂w"]</c>.</summary>
    static abstract DerivedFormulas Formulas { get; }

    /// <summary>φ at one (sample, particle) pair.</summary>
    static abstract double Unit(ReadOnlySpan<double> inputs);

    /// <summary>φ for 2 pairs at once.</summary>
    static abstract Vector128<double> Unit(ReadOnlySpan<Vector128<double>> inputs);

    /// <summary>φ for 4 pairs at once.</summary>
    static abstract Vector256<double> Unit(ReadOnlySpan<Vector256<double>> inputs);

    /// <summary>φ for 8 pairs at once.</summary>
    static abstract Vector512<double> Unit(ReadOnlySpan<Vector512<double>> inputs);

    /// <summary>∂φ/∂(every input), written to <paramref name="gradient"/> in input order.</summary>
    static abstract void UnitGradient(ReadOnlySpan<double> inputs, Span<double> gradient);

    /// <inheritdoc cref="UnitGradient(ReadOnlySpan{double}, Span{double})"/>
    static abstract void UnitGradient(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient);

    /// <inheritdoc cref="UnitGradient(ReadOnlySpan{double}, Span{double})"/>
    static abstract void UnitGradient(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient);

    /// <inheritdoc cref="UnitGradient(ReadOnlySpan{double}, Span{double})"/>
    static abstract void UnitGradient(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient);

    /// <summary>
    /// K: how many values per (sample, particle) pair the cached schedule keeps in place of the P pair channels (0, the
    /// default: it keeps the pair channels). The generator sets it when ∇φ reads the pair channels only through the
    /// kept values — tanh(b + w·x) for a tanh unit; softplus and the logistic for a softplus unit; for a Gaussian bump its
    /// exp and the scaled distance beside it (the header says which) — with at least one function call among them and
    /// K ≤ P + (the calls kept): the forward pass computes them with φ
    /// (<see cref="UnitAndCut(ReadOnlySpan{double}, Span{double})"/>) and the gradient pass needs no function call
    /// (<see cref="UnitGradientFromCut(ReadOnlySpan{double}, Span{double})"/>, which reads kept value j from input slot
    /// P₀ + j: the pair channels' slots, then for j ≥ P the slots after the inputs), with the same bits as
    /// <see cref="UnitGradient(ReadOnlySpan{double}, Span{double})"/>.
    /// </summary>
    static virtual int CutCount => 0;

    /// <summary>φ, returned, and the K kept values written to <paramref name="cut"/> (when <see cref="CutCount"/> &gt; 0).</summary>
    static virtual double UnitAndCut(ReadOnlySpan<double> inputs, Span<double> cut) => throw NoCut();

    /// <inheritdoc cref="UnitAndCut(ReadOnlySpan{double}, Span{double})"/>
    static virtual Vector128<double> UnitAndCut(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> cut) => throw NoCut();

    /// <inheritdoc cref="UnitAndCut(ReadOnlySpan{double}, Span{double})"/>
    static virtual Vector256<double> UnitAndCut(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> cut) => throw NoCut();

    /// <inheritdoc cref="UnitAndCut(ReadOnlySpan{double}, Span{double})"/>
    static virtual Vector512<double> UnitAndCut(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> cut) => throw NoCut();

    /// <summary>
    /// ∂φ/∂(every input) in input order, from inputs whose pair-channel slots 0 … K−1 hold the kept values of
    /// <see cref="UnitAndCut(ReadOnlySpan{double}, Span{double})"/> instead of the pair channels.
    /// </summary>
    static virtual void UnitGradientFromCut(ReadOnlySpan<double> inputs, Span<double> gradient) => throw NoCut();

    /// <inheritdoc cref="UnitGradientFromCut(ReadOnlySpan{double}, Span{double})"/>
    static virtual void UnitGradientFromCut(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient) => throw NoCut();

    /// <inheritdoc cref="UnitGradientFromCut(ReadOnlySpan{double}, Span{double})"/>
    static virtual void UnitGradientFromCut(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient) => throw NoCut();

    /// <inheritdoc cref="UnitGradientFromCut(ReadOnlySpan{double}, Span{double})"/>
    static virtual void UnitGradientFromCut(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient) => throw NoCut();

    /// <summary>
    /// Writes the subexpressions of the particle's inputs alone (the first S + Q inputs) that the block operators below
    /// read from the block's fields after the inputs (and after the extra kept values, see <see cref="CutCount"/>): the
    /// engine calls it once per group of particles, before the block operators run over the samples. The generator
    /// writes it where φ or ∇φ has such a subexpression with a division, a function call or a general power (the
    /// Gaussian bump's 1/(2s²); the header says which); the default writes nothing.
    /// </summary>
    static virtual void PrepareA(ref InputBlock<Vector256<double>> inputs)
    {
    }

    /// <inheritdoc cref="PrepareA(ref InputBlock{Vector256{double}})"/>
    static virtual void PrepareA(ref InputBlock<Vector512<double>> inputs)
    {
    }

    /// <summary>
    /// φ from inputs in a block's fields (models of at most <see cref="InputBlock{TVec}.Capacity"/> inputs; the engine's hot
    /// loops call it, after <see cref="PrepareA(ref InputBlock{Vector256{double}})"/>). The generator writes it for Vector256
    /// and Vector512; the default calls the span overload, with the same bits.
    /// </summary>
    static virtual Vector256<double> Unit(ref InputBlock<Vector256<double>> inputs) => TSelf.Unit(InputBlock<Vector256<double>>.AsSpan(ref inputs));

    /// <summary>∇φ from and into blocks (see <see cref="Unit(ref InputBlock{Vector256{double}})"/>).</summary>
    static virtual void UnitGradient(ref InputBlock<Vector256<double>> inputs, ref InputBlock<Vector256<double>> gradient) =>
        TSelf.UnitGradient(InputBlock<Vector256<double>>.AsSpan(ref inputs), InputBlock<Vector256<double>>.AsSpan(ref gradient));

    /// <summary>φ and the kept values (see <see cref="CutCount"/>) from and into blocks.</summary>
    static virtual Vector256<double> UnitAndCut(ref InputBlock<Vector256<double>> inputs, ref InputBlock<Vector256<double>> cut) =>
        TSelf.UnitAndCut(InputBlock<Vector256<double>>.AsSpan(ref inputs), InputBlock<Vector256<double>>.AsSpan(ref cut));

    /// <summary>∇φ from the kept values (see <see cref="CutCount"/>), blocks in and out.</summary>
    static virtual void UnitGradientFromCut(ref InputBlock<Vector256<double>> inputs, ref InputBlock<Vector256<double>> gradient) =>
        TSelf.UnitGradientFromCut(InputBlock<Vector256<double>>.AsSpan(ref inputs), InputBlock<Vector256<double>>.AsSpan(ref gradient));

    /// <summary>
    /// φ from inputs in a block's fields (models of at most <see cref="InputBlock{TVec}.Capacity"/> inputs; the engine's hot
    /// loops call it). The generator writes it for Vector256 and Vector512; the default calls the span overload, with the
    /// same bits.
    /// </summary>
    static virtual Vector512<double> Unit(ref InputBlock<Vector512<double>> inputs) => TSelf.Unit(InputBlock<Vector512<double>>.AsSpan(ref inputs));

    /// <summary>∇φ from and into blocks (see <see cref="Unit(ref InputBlock{Vector512{double}})"/>).</summary>
    static virtual void UnitGradient(ref InputBlock<Vector512<double>> inputs, ref InputBlock<Vector512<double>> gradient) =>
        TSelf.UnitGradient(InputBlock<Vector512<double>>.AsSpan(ref inputs), InputBlock<Vector512<double>>.AsSpan(ref gradient));

    /// <summary>φ and the kept values (see <see cref="CutCount"/>) from and into blocks.</summary>
    static virtual Vector512<double> UnitAndCut(ref InputBlock<Vector512<double>> inputs, ref InputBlock<Vector512<double>> cut) =>
        TSelf.UnitAndCut(InputBlock<Vector512<double>>.AsSpan(ref inputs), InputBlock<Vector512<double>>.AsSpan(ref cut));

    /// <summary>∇φ from the kept values (see <see cref="CutCount"/>), blocks in and out.</summary>
    static virtual void UnitGradientFromCut(ref InputBlock<Vector512<double>> inputs, ref InputBlock<Vector512<double>> gradient) =>
        TSelf.UnitGradientFromCut(InputBlock<Vector512<double>>.AsSpan(ref inputs), InputBlock<Vector512<double>>.AsSpan(ref gradient));

    private static NotSupportedException NoCut() =>
        new($"{typeof(TSelf).Name} keeps no values per pair (CutCount is 0): the cached schedule keeps its pair channels.");

    /// <summary>ℓ(y, ŷ).</summary>
    static abstract double Cost(double target, double prediction);

    /// <summary>∂ℓ/∂ŷ(y, ŷ).</summary>
    static abstract double CostDerivative(double target, double prediction);

    /// <inheritdoc cref="CostDerivative(double, double)"/>
    static abstract Vector128<double> CostDerivative(Vector128<double> target, Vector128<double> prediction);

    /// <inheritdoc cref="CostDerivative(double, double)"/>
    static abstract Vector256<double> CostDerivative(Vector256<double> target, Vector256<double> prediction);

    /// <inheritdoc cref="CostDerivative(double, double)"/>
    static abstract Vector512<double> CostDerivative(Vector512<double> target, Vector512<double> prediction);

    /// <summary>U(θ) from the first S + Q inputs (0 when the model has no regularizer).</summary>
    static abstract double Regularizer(ReadOnlySpan<double> inputs);

    /// <summary>∂U/∂(scalars, particle channels), S + Q values (all 0 without a regularizer).</summary>
    static abstract void RegularizerGradient(ReadOnlySpan<double> inputs, Span<double> gradient);
}
