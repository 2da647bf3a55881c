using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MeanField.Generators.Emit;
using MeanField.Generators.Helpers;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Interactions;

/// <summary>
/// Writes the generated file of one interaction model on the shared writers: the <see cref="FileSkeleton"/> (header
/// with the derived formulas and operation counts, <c>Derivation</c>, <c>Formulas</c>, the <c>InteractionLayout</c>),
/// then explicit implementations of <c>IInteractionModel&lt;T&gt;</c>'s operators with <see cref="OperatorWriter"/>:
/// the kernel, its gradient and both fused (KernelWithGradient) at every SIMD width — the kernel and the fused one also
/// from and into blocks at 256 and 512 bits where the inputs fit one —, the potential and the confinement with their gradients (scalar).
/// </summary>
internal static class InteractionEmitter
{
    public static string Emit(InteractionSpec spec)
    {
        var layout = spec.Layout;
        int side = layout.SideInputCount;
        var symbols = layout.Symbols.ToArray();
        var sideSymbols = symbols.Take(side).ToArray();
        var zeros = Enumerable.Repeat(Expr.Zero, side).ToArray();
        var kernelGradient = Differentiation.Derivatives(spec.Kernel, symbols);
        var potentialGradient = spec.Potential is null ? zeros : Differentiation.Derivatives(spec.Potential, sideSymbols);
        var confinementGradient = spec.Confinement is null ? zeros : Differentiation.Derivatives(spec.Confinement, sideSymbols);
        var sideOf = SideOf(layout);
        var squaredNorms = SquaredNorms(layout);

        // The kernel's operators: reduced as every generated operator, their two-sided roots and divisors split by side,
        // and the one-sided subexpressions read from the side values (computed once per particle).
        var kernelOutputs = new[] { new[] { spec.Kernel }, kernelGradient, new[] { spec.Kernel }.Concat(kernelGradient).ToArray() }
            .Select(outputs => SideFactoring.Apply(DivisionReduction.Apply(TermCancellation.Apply(outputs)), sideOf, squaredNorms))
            .ToArray();
        var sideValues = SideValues.Find(kernelOutputs, sideSymbols, symbols.Skip(side).Take(side).ToArray());
        if (sideValues is not null)
        {
            kernelOutputs = sideValues.Outputs.ToArray();
        }

        var kernelProgram = CseProgram.Build(kernelOutputs[0]);
        var kernelGradientProgram = CseProgram.Build(kernelOutputs[1]);
        var kernelWithGradientProgram = CseProgram.Build(kernelOutputs[2]);
        var sideValuesProgram = sideValues is null ? null : CseProgram.Build(sideValues.Values);
        var potentialProgram = CseProgram.BuildForCode(new[] { spec.Potential ?? Expr.Zero });
        var potentialGradientProgram = CseProgram.BuildForCode(potentialGradient);
        var confinementProgram = CseProgram.BuildForCode(new[] { spec.Confinement ?? Expr.Zero });
        var confinementGradientProgram = CseProgram.BuildForCode(confinementGradient);

        var text = new DerivationText();
        text.Header($"Interaction energy {spec.TypeName}: E(μ) = C − ∫ F dμ + ∫ U dμ + ½ ∬ K(θ, θ′) dμ(θ) dμ(θ′); K is the method {spec.KernelName}, θ = ({string.Join(", ", spec.ScalarParameters.Concat(spec.VectorParameters))})");
        text.Header($"Parameters: scalars ({string.Join(", ", spec.ScalarParameters)}), vectors ({string.Join(", ", spec.VectorParameters)}); θ′ = the same with primes");
        text.Header("Inputs of the kernel operators, in order: " + string.Join(", ", layout.Symbols)
            + (sideValues is null ? string.Empty : $", then the side values h (below) of θ and of θ′, {sideValues.Values.Count} each"));
        text.Header(string.Empty);
        text.Line("K", spec.Kernel);
        text.InputGradient("K", kernelGradient, layout, layout.Count);
        text.Count("K", kernelProgram);
        text.Count("∇K", kernelGradientProgram);
        text.Count("K with ∇K", kernelWithGradientProgram);
        if (spec.Potential is not null)
        {
            text.SideFunction("F", spec.Potential, potentialGradient, layout, side, potentialProgram, potentialGradientProgram);
        }

        if (spec.Confinement is not null)
        {
            text.SideFunction("U", spec.Confinement, confinementGradient, layout, side, confinementProgram, confinementGradientProgram);
        }

        if (sideValues is not null)
        {
            // Each side value a formula of its own (Formulas["h₀"], …), for inspection at compile time.
            text.Header(string.Empty);
            text.Header("Side values, per particle (computed once, not per pair; the kernel operators read h(θ), then h(θ′)):");
            for (int k = 0; k < sideValues.Values.Count; k++)
            {
                text.Line("h" + string.Concat(k.ToString(CultureInfo.InvariantCulture).Select(c => (char)('₀' + (c - '0')))), sideValues.Values[k]);
            }
        }

        string derivation = text.Finish();
        string contract = FileSkeleton.Contract(spec, "IInteractionModel");
        var layoutArguments = new KeyValuePair<string, string>[]
        {
            new("pairChannels", "new global::MeanField.PairChannel[] { "
                + string.Join(", ", layout.PairChannels.Select(c => $"new({c.First}, {c.Second}, global::MeanField.PairChannelKind.{(c.IsSquaredDistance ? "SquaredDistance" : "Dot")})")) + " }"),
            new("hasPotential", spec.Potential is null ? "false" : "true"),
            new("hasConfinement", spec.Confinement is null ? "false" : "true"),
        };
        if (sideValues is not null)
        {
            layoutArguments = layoutArguments.Append(new("sideValueCount", sideValues.Values.Count.ToString(CultureInfo.InvariantCulture))).ToArray();
        }

        var writer = new IndentedTextWriter();
        using (FileSkeleton.Begin(writer, spec, "interaction energy", contract, "InteractionLayout", layoutArguments, derivation, text.Formulas, "K"))
        {
            var inputs = OperatorWriter.InputNames.Of(layout);
            var kernelInputs = sideValues is null ? inputs : inputs.With(sideValues.SymbolsA, "sa").With(sideValues.SymbolsB, "sb");
            int kernelInputCount = layout.Count + (2 * (sideValues?.Values.Count ?? 0));
            OperatorWriter.WriteEveryWidth(writer, contract, "Kernel", kernelProgram, kernelGradientProgram, kernelInputs, kernelInputCount);
            foreach (var width in OperatorWriter.Widths)
            {
                writer.WriteLine();
                OperatorWriter.WriteValueAndGradient(writer, contract, "KernelWithGradient", width, kernelWithGradientProgram, kernelInputs, kernelInputCount);
            }

            if (kernelInputCount <= OperatorWriter.BlockCapacity)
            {
                // The symmetric schedule's strips pass a pair's inputs, side values included, in a block's fields
                // (registers) at these widths: K alone (the energy's values-only run) and K with ∇K.
                foreach (var width in OperatorWriter.BlockWidths)
                {
                    writer.WriteLine();
                    OperatorWriter.WriteFunction(writer, contract, "Kernel", width, kernelProgram, kernelInputs, kernelInputCount, block: true);
                    writer.WriteLine();
                    OperatorWriter.WriteValueAndGradient(writer, contract, "KernelWithGradient", width, kernelWithGradientProgram, kernelInputs, kernelInputCount, block: true);
                }
            }

            if (sideValuesProgram is not null)
            {
                writer.WriteLine();
                OperatorWriter.WriteOutputs(writer, contract, "SideValues", "values", SimdWidth.Scalar, sideValuesProgram, inputs, side);
            }

            OperatorWriter.WriteScalar(writer, contract, "Potential", potentialProgram, potentialGradientProgram, inputs, side);
            OperatorWriter.WriteScalar(writer, contract, "Confinement", confinementProgram, confinementGradientProgram, inputs, side);
        }

        return writer.ToString();
    }

    /// <summary>Each input's side: θ's block, θ′'s block, or neither (a pair channel).</summary>
    private static System.Func<string, SideFactoring.InputSide> SideOf(InputLayout layout)
    {
        var sides = new Dictionary<string, SideFactoring.InputSide>();
        for (int k = 0; k < layout.Count; k++)
        {
            sides[layout.Symbols[k]] = k >= layout.PairChannelOffset ? SideFactoring.InputSide.Neither
                : k < layout.SideBOffset ? SideFactoring.InputSide.A : SideFactoring.InputSide.B;
        }

        return symbol => sides.TryGetValue(symbol, out var side) ? side : SideFactoring.InputSide.Neither;
    }

    /// <summary>The inputs that are squared norms |v|² (channels v·v) on either side: ≥ 0.</summary>
    private static HashSet<string> SquaredNorms(InputLayout layout)
    {
        var set = new HashSet<string>();
        for (int q = 0; q < layout.ParticleChannelCount; q++)
        {
            if (layout.SideAChannels[q].First == layout.SideAChannels[q].Second)
            {
                set.Add(layout.Symbols[layout.ScalarCount + q]);
            }
        }

        for (int q = 0; q < layout.SideBChannels.Count; q++)
        {
            if (layout.SideBChannels[q].First == layout.SideBChannels[q].Second)
            {
                set.Add(layout.Symbols[layout.SideBChannelOffset + q]);
            }
        }

        return set;
    }
}
