using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MeanField.Generators.Emit;
using MeanField.Generators.Helpers;
using MeanField.Generators.Symbolic;
using Microsoft.CodeAnalysis.CSharp;

namespace MeanField.Generators.Interactions;

/// <summary>
/// Writes the generated file of one interaction model: a header with the derived formulas and operation counts, the
/// <c>Derivation</c> text, the layout, and explicit implementations of <c>IInteractionModel&lt;T&gt;</c>: the kernel
/// and its gradient at every SIMD width, the potential and the confinement with their gradients (scalar).
/// </summary>
internal static class InteractionEmitter
{
    /// <summary>The most characters of the derivation text; past it, formulas are replaced by a note.</summary>
    public const int TextLimit = 100_000;

    private const string GeneratedCode = OperatorWriter.GeneratedCode;

    public static string Emit(InteractionSpec spec)
    {
        var layout = spec.Layout;
        var symbols = layout.Symbols.ToArray();
        var kernelGradient = Differentiation.Derivatives(spec.Kernel, symbols);
        var sideSymbols = symbols.Take(layout.SideInputCount).ToArray();
        var potentialGradient = spec.Potential is null ? null : Differentiation.Derivatives(spec.Potential, sideSymbols);
        var confinementGradient = spec.Confinement is null ? null : Differentiation.Derivatives(spec.Confinement, sideSymbols);
        var kernelProgram = CseProgram.Build(new[] { spec.Kernel });
        var kernelGradientProgram = CseProgram.Build(kernelGradient);

        var (text, formulas) = Derivation(spec, kernelGradient, potentialGradient, confinementGradient, kernelProgram, kernelGradientProgram);
        string self = spec.FullyQualifiedName;
        string contract = $"global::MeanField.IInteractionModel<{self}>";

        var writer = new IndentedTextWriter();
        using (FileSkeleton.Begin(writer, "interaction energy", spec.TypeName, $"partial {spec.TypeKeyword} {spec.TypeIdentifier} : {contract}", spec.NamespaceIdentifier, text, formulas, "K"))
        {
            writer.WriteLine();
            WriteLayout(writer, spec);
            writer.WriteLine();
            writer.WriteLine(GeneratedCode);
            writer.WriteLine($"static global::MeanField.InteractionLayout {contract}.Layout => MeanFieldGeneratedLayout;");
            writer.WriteLine();
            writer.WriteLine(GeneratedCode);
            writer.WriteLine($"static string {contract}.Derivation => Derivation;");
            writer.WriteLine();
            writer.WriteLine(GeneratedCode);
            writer.WriteLine($"static global::MeanField.DerivedFormulas {contract}.Formulas => MeanFieldGeneratedFormulas;");

            var inputs = InputIdentifiers(spec);
            foreach (var width in OperatorWriter.Widths)
            {
                writer.WriteLine();
                OperatorWriter.WriteFunction(writer, contract, "Kernel", width, kernelProgram, inputs, layout.Count);
            }

            foreach (var width in OperatorWriter.Widths)
            {
                writer.WriteLine();
                OperatorWriter.WriteGradient(writer, contract, "KernelGradient", width, kernelGradientProgram, inputs, layout.Count);
            }

            int side = layout.SideInputCount;
            var zeros = Enumerable.Repeat(Expr.Zero, side).ToArray();
            writer.WriteLine();
            OperatorWriter.WriteFunction(writer, contract, "Potential", SimdWidth.Scalar, CseProgram.Build(new[] { spec.Potential ?? Expr.Zero }), inputs, side);
            writer.WriteLine();
            OperatorWriter.WriteGradient(writer, contract, "PotentialGradient", SimdWidth.Scalar, CseProgram.Build(potentialGradient ?? zeros), inputs, side);
            writer.WriteLine();
            OperatorWriter.WriteFunction(writer, contract, "Confinement", SimdWidth.Scalar, CseProgram.Build(new[] { spec.Confinement ?? Expr.Zero }), inputs, side);
            writer.WriteLine();
            OperatorWriter.WriteGradient(writer, contract, "ConfinementGradient", SimdWidth.Scalar, CseProgram.Build(confinementGradient ?? zeros), inputs, side);
        }

        return writer.ToString();
    }

    private static void WriteLayout(IndentedTextWriter writer, InteractionSpec spec)
    {
        static string Strings(IEnumerable<string> items) => "new string[] { " + string.Join(", ", items.Select(s => SymbolDisplay.FormatLiteral(s, quote: true))) + " }";

        string particleChannels = "new global::MeanField.ParticleChannel[] { "
            + string.Join(", ", spec.ParticleChannels.Select(c => $"new({c.First}, {c.Second})")) + " }";
        string pairChannels = "new global::MeanField.PairChannel[] { "
            + string.Join(", ", spec.PairChannels.Select(c => $"new({c.First}, {c.Second}, global::MeanField.PairChannelKind.{(c.IsSquaredDistance ? "SquaredDistance" : "Dot")})")) + " }";

        writer.WriteLine(GeneratedCode);
        writer.WriteLine("private static readonly global::MeanField.InteractionLayout MeanFieldGeneratedLayout = new(");
        writer.WriteLine($"    modelName: {SymbolDisplay.FormatLiteral(spec.TypeName, quote: true)},");
        writer.WriteLine($"    scalarParameters: {Strings(spec.ScalarParameters)},");
        writer.WriteLine($"    vectorParameters: {Strings(spec.VectorParameters)},");
        writer.WriteLine($"    particleChannels: {particleChannels},");
        writer.WriteLine($"    pairChannels: {pairChannels},");
        writer.WriteLine($"    hasPotential: {(spec.Potential is null ? "false" : "true")},");
        writer.WriteLine($"    hasConfinement: {(spec.Confinement is null ? "false" : "true")});");
    }

    /// <summary>C# identifiers of the inputs: <c>p_c</c> for a scalar of θ, <c>q_c</c> for its counterpart in θ′,
    /// <c>ch{k}</c> for channel k.</summary>
    private static OperatorWriter.InputNames InputIdentifiers(InteractionSpec spec)
    {
        var layout = spec.Layout;
        var map = new Dictionary<string, string>();
        for (int k = 0; k < layout.Count; k++)
        {
            string symbol = layout.Symbols[k];
            map[symbol] = k < layout.ScalarCount ? "p_" + spec.ScalarParameters[k]
                : k >= layout.SideBOffset && k < layout.SideBOffset + layout.ScalarCount ? "q_" + spec.ScalarParameters[k - layout.SideBOffset]
                : "ch" + k.ToString(CultureInfo.InvariantCulture);
        }

        return new OperatorWriter.InputNames(layout.Symbols, map);
    }

    private static (string Text, List<KeyValuePair<string, string>> Formulas) Derivation(
        InteractionSpec spec, Expr[] kernelGradient, Expr[]? potentialGradient, Expr[]? confinementGradient, CseProgram kernelProgram, CseProgram kernelGradientProgram)
    {
        var layout = spec.Layout;
        var text = new StringBuilder();
        var formulas = new List<KeyValuePair<string, string>>();
        var readable = new ReadableFormulas();
        int elided = 0;
        void Add(string name, string formula)
        {
            if (text.Length + name.Length + formula.Length + 4 > TextLimit - 1_000)
            {
                formula = "… (elided: the derivation text is limited to " + TextLimit.ToString("N0", CultureInfo.InvariantCulture) + " characters; the generated code is exact)";
                elided++;
            }
            else
            {
                text.Append(name).Append(" = ").Append(formula).Append('\n');
            }

            formulas.Add(new KeyValuePair<string, string>(name, formula));
        }

        void Line(string name, Expr value)
        {
            string formula = readable.Format(readable.Display(value));
            foreach (var definition in readable.TakeDefinitions())
            {
                Add(definition.Key, definition.Value);
            }

            Add(name, formula);
        }

        string Count(IReadOnlyList<Expr> outputs) => CseProgram.Build(outputs).OperationCount.ToString(CultureInfo.InvariantCulture);

        string theta = string.Join(", ", spec.ScalarParameters.Concat(spec.VectorParameters));
        text.Append("Interaction energy ").Append(spec.TypeName)
            .Append(": E(μ) = C − ∫ F dμ + ∫ U dμ + ½ ∬ K(θ, θ′) dμ(θ) dμ(θ′); K is the method ").Append(spec.KernelName)
            .Append(", θ = (").Append(theta).Append(")\n");
        text.Append("Parameters: scalars (").Append(string.Join(", ", spec.ScalarParameters))
            .Append("), vectors (").Append(string.Join(", ", spec.VectorParameters)).Append("); θ′ = the same with primes\n");
        text.Append("Inputs of the kernel operators, in order: ").Append(string.Join(", ", layout.Symbols)).Append('\n');
        text.Append('\n');
        Line("K", spec.Kernel);
        for (int k = 0; k < layout.Count; k++)
        {
            Line("∂K/∂" + layout.Symbols[k], kernelGradient[k]);
        }

        if (spec.Potential is not null)
        {
            text.Append('\n');
            Line("F", spec.Potential);
            for (int k = 0; k < layout.SideInputCount; k++)
            {
                Line("∂F/∂" + layout.Symbols[k], potentialGradient![k]);
            }
        }

        if (spec.Confinement is not null)
        {
            text.Append('\n');
            Line("U", spec.Confinement);
            for (int k = 0; k < layout.SideInputCount; k++)
            {
                Line("∂U/∂" + layout.Symbols[k], confinementGradient![k]);
            }
        }

        if (elided > 0)
        {
            text.Append("… ").Append(elided.ToString(CultureInfo.InvariantCulture)).Append(" more formulas elided; the generated code is exact\n");
        }

        text.Append('\n');
        text.Append("Operations (after simplification and common-subexpression elimination): K ")
            .Append(kernelProgram.OperationCount.ToString(CultureInfo.InvariantCulture))
            .Append(", ∇K ").Append(kernelGradientProgram.OperationCount.ToString(CultureInfo.InvariantCulture));
        if (spec.Potential is not null)
        {
            text.Append(", F ").Append(Count(new[] { spec.Potential })).Append(", ∇F ").Append(Count(potentialGradient!));
        }

        if (spec.Confinement is not null)
        {
            text.Append(", U ").Append(Count(new[] { spec.Confinement })).Append(", ∇U ").Append(Count(confinementGradient!));
        }

        return (text.ToString(), formulas);
    }
}
