using System.Collections.Generic;
using System.Linq;
using MeanField.Generators.Emit;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Networks;

/// <summary>
/// The derived quantities of a network model: ∂φ/∂(each input), ∂ℓ/∂ŷ, ∂U/∂(each regularizer input), their CSE
/// programs, and the derivation text (<see cref="DerivationText"/>: the formulas, the chain rule to ∂φ/∂v and ∂φ/∂x,
/// the operation counts).
/// </summary>
internal sealed class NetworkDerivation
{
    private NetworkDerivation(NetworkSpec spec)
    {
        var layout = spec.Layout;
        UnitGradient = Differentiation.Derivatives(spec.Unit, layout.Symbols.ToArray());
        CostDerivative = Differentiation.Derivative(spec.Cost, NetworkSymbols.Prediction);
        RegularizerGradient = Differentiation.Derivatives(spec.Regularizer ?? Expr.Zero, layout.Symbols.Take(layout.SideInputCount).ToArray());
        // The gradient as the code computes it (division reduction, as BuildForCode), once: its program and its cut
        // come from the same expressions, which is what keeps the gradient from the cut bit-identical.
        var reducedGradient = DivisionReduction.Apply(UnitGradient);
        // φ as the code computes it, reduced together with the gradient: a divisor φ shares with ∇φ (the bump's 2s²)
        // becomes the same reciprocal in both, so the forward pass of the cached schedule evaluates a kept exp(…) once
        // for φ and the cut. The value-only program and the value beside the cut come from this one expression.
        var reducedUnit = DivisionReduction.Apply(new[] { spec.Unit }.Concat(UnitGradient).ToArray())[0];
        UnitProgram = CseProgram.Build(new[] { reducedUnit });
        UnitGradientProgram = CseProgram.Build(reducedGradient);
        CostProgram = CseProgram.BuildForCode(new[] { spec.Cost });
        CostDerivativeProgram = CseProgram.BuildForCode(new[] { CostDerivative });
        RegularizerProgram = CseProgram.BuildForCode(new[] { spec.Regularizer ?? Expr.Zero });
        RegularizerGradientProgram = CseProgram.BuildForCode(RegularizerGradient);
        Cut = PairCut.Find(reducedGradient, PairSymbols(layout).ToArray(), layout.Count);
        if (Cut is not null)
        {
            // The forward pass's value and cut values in one program (tanh evaluated once); the gradient from them.
            UnitAndCutProgram = CseProgram.Build(new[] { reducedUnit }.Concat(Cut.Values).ToArray());
            UnitGradientFromCutProgram = CseProgram.Build(Cut.Gradient);
        }

        // The block operators (the engine's strips, which hold a group of particles fixed over the samples): the
        // subexpressions of the particle's inputs alone computed once per group by PrepareA, into the slots after the
        // inputs and the extra kept values (SideHoist).
        BlockSlots = layout.Count + (Cut?.ExtraSymbols.Count ?? 0);
        var blockOutputs = new List<IReadOnlyList<Expr>> { new[] { reducedUnit }, reducedGradient };
        if (Cut is not null)
        {
            blockOutputs.Add(new[] { reducedUnit }.Concat(Cut.Values).ToArray());
            blockOutputs.Add(Cut.Gradient);
        }

        Hoist = layout.Count <= PairCut.InputCapacity
            ? SideHoist.Find(blockOutputs, layout.Symbols.Take(layout.SideInputCount).ToArray(), BlockSlots, PairCut.InputCapacity)
            : null;
        if (Hoist is not null)
        {
            PrepareProgram = CseProgram.Build(Hoist.Values);
            UnitBlockProgram = CseProgram.Build(Hoist.Outputs[0]);
            UnitGradientBlockProgram = CseProgram.Build(Hoist.Outputs[1]);
            if (Cut is not null)
            {
                UnitAndCutBlockProgram = CseProgram.Build(Hoist.Outputs[2]);
                UnitGradientFromCutBlockProgram = CseProgram.Build(Hoist.Outputs[3]);
            }
        }
        else
        {
            UnitBlockProgram = UnitProgram;
            UnitGradientBlockProgram = UnitGradientProgram;
            UnitAndCutBlockProgram = UnitAndCutProgram;
            UnitGradientFromCutBlockProgram = UnitGradientFromCutProgram;
        }
    }

    /// <summary>The block operators' first free slot: the inputs, then the extra kept values (<see cref="PairCut.ExtraSymbols"/>).</summary>
    public int BlockSlots { get; }

    /// <summary>The particle-side subexpressions the block operators read from slots <see cref="BlockSlots"/>…, or null.</summary>
    public SideHoist? Hoist { get; }

    /// <summary>The hoisted values (<see cref="Hoist"/>), when set.</summary>
    public CseProgram? PrepareProgram { get; }

    /// <summary>φ for the block operators (hoisted values read from their slots).</summary>
    public CseProgram UnitBlockProgram { get; }

    /// <summary>∇φ for the block operators.</summary>
    public CseProgram UnitGradientBlockProgram { get; }

    /// <summary>φ and the cut values for the block operators, when <see cref="Cut"/> is set.</summary>
    public CseProgram? UnitAndCutBlockProgram { get; }

    /// <summary>∇φ from the cut values for the block operators, when <see cref="Cut"/> is set.</summary>
    public CseProgram? UnitGradientFromCutBlockProgram { get; }

    /// <summary>What the cached schedule keeps per (sample, particle) pair instead of the pair channels, or null.</summary>
    public PairCut? Cut { get; }

    /// <summary>φ (output 0) and the cut values (outputs 1…), when <see cref="Cut"/> is set.</summary>
    public CseProgram? UnitAndCutProgram { get; }

    /// <summary>∇φ from the cut values (read from the pair channels' slots), when <see cref="Cut"/> is set.</summary>
    public CseProgram? UnitGradientFromCutProgram { get; }

    /// <summary>∂φ/∂(each input), in input order.</summary>
    public Expr[] UnitGradient { get; }

    /// <summary>∂ℓ/∂ŷ.</summary>
    public Expr CostDerivative { get; }

    /// <summary>∂U/∂(each of the first S + Q inputs); zeros without a regularizer.</summary>
    public Expr[] RegularizerGradient { get; }

    /// <summary>The CSE program of φ (built once: the operation count and the emitter share it).</summary>
    public CseProgram UnitProgram { get; }

    /// <summary>The CSE program of ∇φ.</summary>
    public CseProgram UnitGradientProgram { get; }

    /// <summary>The CSE program of ℓ.</summary>
    public CseProgram CostProgram { get; }

    /// <summary>The CSE program of ∂ℓ/∂ŷ.</summary>
    public CseProgram CostDerivativeProgram { get; }

    /// <summary>The CSE program of U (0 without a regularizer).</summary>
    public CseProgram RegularizerProgram { get; }

    /// <summary>The CSE program of ∇U.</summary>
    public CseProgram RegularizerGradientProgram { get; }

    /// <summary>The derivation text.</summary>
    public string Text { get; private set; } = string.Empty;

    /// <summary>Each derived quantity ("φ", "∂φ/∂w", "∂ℓ/∂ŷ", …) and its readable formula, in the order of <see cref="Text"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Formulas { get; private set; } = System.Array.Empty<KeyValuePair<string, string>>();

    public static NetworkDerivation Derive(NetworkSpec spec)
    {
        var derivation = new NetworkDerivation(spec);
        var layout = spec.Layout;
        var text = new DerivationText();
        text.Header($"Network {spec.TypeName}: f({spec.InputName}) = (1/n) Σ_i φ({spec.InputName}; θ_i); {spec.UnitDescription}");
        text.Header($"Parameters: scalars ({string.Join(", ", spec.ScalarParameters)}), vectors ({string.Join(", ", spec.VectorParameters)}) of the input's dimension");
        text.Header("Inputs of the generated operators, in order: " + string.Join(", ", layout.Symbols));
        text.Header(string.Empty);
        text.Line("φ", spec.Unit);
        text.InputGradient("φ", derivation.UnitGradient, layout, layout.ScalarCount);
        for (int a = 0; a < layout.SideAVectors.Count; a++)
        {
            text.Line("∂φ/∂" + layout.SideAVectors[a], text.VectorGradient(layout, derivation.UnitGradient, Side.A, a));
        }

        text.Line("∂φ/∂" + spec.InputName, text.VectorGradient(layout, derivation.UnitGradient, Side.B, 0));
        text.Header(string.Empty);
        text.Line("ℓ(y, ŷ)", spec.Cost);
        text.Line("∂ℓ/∂ŷ", derivation.CostDerivative);
        text.Count("φ", derivation.UnitProgram);
        text.Count("∇φ", derivation.UnitGradientProgram);
        text.Count("ℓ", derivation.CostProgram);
        text.Count("∂ℓ/∂ŷ", derivation.CostDerivativeProgram);
        if (derivation.Hoist is { } hoist)
        {
            text.Note("Per group of particles (computed once, not per pair): " + string.Join(", ", hoist.Values.Select(DerivationText.Brief)));
        }

        if (derivation.Cut is { } cut)
        {
            text.Note("Cached schedule: keeps " + string.Join(", ", cut.Values.Select(DerivationText.Brief))
                + " per (sample, particle) pair in place of " + string.Join(", ", PairSymbols(layout))
                + "; ∇φ is computed from it with no further function call");
        }
        if (spec.Regularizer is not null)
        {
            text.SideFunction("U", spec.Regularizer, derivation.RegularizerGradient, layout, layout.SideInputCount, derivation.RegularizerProgram, derivation.RegularizerGradientProgram);
        }

        derivation.Text = text.Finish();
        derivation.Formulas = text.Formulas;
        return derivation;

    }

    /// <summary>The pair channels' symbols, in input order (the last inputs).</summary>
    private static IEnumerable<string> PairSymbols(InputLayout layout) => layout.Symbols.Skip(layout.PairChannelOffset);
}
