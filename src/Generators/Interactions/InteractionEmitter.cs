using System.Collections.Generic;
using System.Linq;
using MeanField.Generators.Emit;
using MeanField.Generators.Helpers;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Interactions;

/// <summary>
/// Writes the generated file of one interaction model on the shared writers: the <see cref="FileSkeleton"/> (header
/// with the derived formulas and operation counts, <c>Derivation</c>, <c>Formulas</c>, the <c>InteractionLayout</c>),
/// then explicit implementations of <c>IInteractionModel&lt;T&gt;</c>'s operators with <see cref="OperatorWriter"/>:
/// the kernel, its gradient and both fused (KernelWithGradient) at every SIMD width, the potential and the confinement with their gradients (scalar).
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
        var kernelProgram = CseProgram.BuildForCode(new[] { spec.Kernel });
        var kernelGradientProgram = CseProgram.BuildForCode(kernelGradient);
        var kernelWithGradientProgram = CseProgram.BuildForCode(new[] { spec.Kernel }.Concat(kernelGradient).ToArray());
        var potentialProgram = CseProgram.BuildForCode(new[] { spec.Potential ?? Expr.Zero });
        var potentialGradientProgram = CseProgram.BuildForCode(potentialGradient);
        var confinementProgram = CseProgram.BuildForCode(new[] { spec.Confinement ?? Expr.Zero });
        var confinementGradientProgram = CseProgram.BuildForCode(confinementGradient);

        var text = new DerivationText();
        text.Header($"Interaction energy {spec.TypeName}: E(μ) = C − ∫ F dμ + ∫ U dμ + ½ ∬ K(θ, θ′) dμ(θ) dμ(θ′); K is the method {spec.KernelName}, θ = ({string.Join(", ", spec.ScalarParameters.Concat(spec.VectorParameters))})");
        text.Header($"Parameters: scalars ({string.Join(", ", spec.ScalarParameters)}), vectors ({string.Join(", ", spec.VectorParameters)}); θ′ = the same with primes");
        text.Header("Inputs of the kernel operators, in order: " + string.Join(", ", layout.Symbols));
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

        string derivation = text.Finish();
        string contract = FileSkeleton.Contract(spec, "IInteractionModel");
        var layoutArguments = new KeyValuePair<string, string>[]
        {
            new("pairChannels", "new global::MeanField.PairChannel[] { "
                + string.Join(", ", layout.PairChannels.Select(c => $"new({c.First}, {c.Second}, global::MeanField.PairChannelKind.{(c.IsSquaredDistance ? "SquaredDistance" : "Dot")})")) + " }"),
            new("hasPotential", spec.Potential is null ? "false" : "true"),
            new("hasConfinement", spec.Confinement is null ? "false" : "true"),
        };

        var writer = new IndentedTextWriter();
        using (FileSkeleton.Begin(writer, spec, "interaction energy", contract, "InteractionLayout", layoutArguments, derivation, text.Formulas, "K"))
        {
            var inputs = OperatorWriter.InputNames.Of(layout);
            OperatorWriter.WriteEveryWidth(writer, contract, "Kernel", kernelProgram, kernelGradientProgram, inputs, layout.Count);
            foreach (var width in OperatorWriter.Widths)
            {
                writer.WriteLine();
                OperatorWriter.WriteValueAndGradient(writer, contract, "KernelWithGradient", width, kernelWithGradientProgram, inputs, layout.Count);
            }

            OperatorWriter.WriteScalar(writer, contract, "Potential", potentialProgram, potentialGradientProgram, inputs, side);
            OperatorWriter.WriteScalar(writer, contract, "Confinement", confinementProgram, confinementGradientProgram, inputs, side);
        }

        return writer.ToString();
    }
}
