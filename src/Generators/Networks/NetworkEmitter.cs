using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MeanField.Generators.Helpers;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;
using Microsoft.CodeAnalysis.CSharp;

namespace MeanField.Generators.Emit;

/// <summary>
/// Writes the generated file of one network model: a header with the derived formulas and operation
/// counts, the <c>Derivation</c> text, the layout, and explicit implementations of
/// <c>INetworkModel&lt;T&gt;</c> with scalar and Vector128/256/512 operators.
/// </summary>
internal static class NetworkEmitter
{
    private const string GeneratedCode = OperatorWriter.GeneratedCode;

    private static readonly SimdWidth[] Widths = OperatorWriter.Widths;

    public static string Emit(NetworkSpec spec)
    {
        var derivation = NetworkDerivation.Derive(spec);
        string self = spec.FullyQualifiedName;
        string contract = $"global::MeanField.INetworkModel<{self}>";

        var writer = new IndentedTextWriter();
        using (FileSkeleton.Begin(writer, "network", spec.TypeName, $"partial {spec.TypeKeyword} {spec.TypeIdentifier} : {contract}", spec.NamespaceIdentifier, derivation.Text, derivation.Formulas, "∂φ/∂x"))
        {
            writer.WriteLine();
            WriteLayout(writer, spec);
            writer.WriteLine();
            writer.WriteLine(GeneratedCode);
            writer.WriteLine($"static global::MeanField.NetworkLayout {contract}.Layout => MeanFieldGeneratedLayout;");
            writer.WriteLine();
            writer.WriteLine(GeneratedCode);
            writer.WriteLine($"static string {contract}.Derivation => Derivation;");
            writer.WriteLine();
            writer.WriteLine(GeneratedCode);
            writer.WriteLine($"static global::MeanField.DerivedFormulas {contract}.Formulas => MeanFieldGeneratedFormulas;");

            var inputs = InputIdentifiers(spec);
            var unit = derivation.UnitProgram;
            var unitGradient = derivation.UnitGradientProgram;
            foreach (var width in Widths)
            {
                writer.WriteLine();
                OperatorWriter.WriteFunction(writer, contract, "Unit", width, unit, inputs, spec.InputSymbols.Count);
            }

            foreach (var width in Widths)
            {
                writer.WriteLine();
                OperatorWriter.WriteGradient(writer, contract, "UnitGradient", width, unitGradient, inputs, spec.InputSymbols.Count);
            }

            var costArguments = new Dictionary<string, string> { [NetworkSymbols.Target] = "target", [NetworkSymbols.Prediction] = "prediction" };
            writer.WriteLine();
            OperatorWriter.WriteBinary(writer, contract, "Cost", SimdWidth.Scalar, CseProgram.Build(new[] { spec.Cost }), costArguments);
            var costDerivative = CseProgram.Build(new[] { derivation.CostDerivative });
            foreach (var width in Widths)
            {
                writer.WriteLine();
                OperatorWriter.WriteBinary(writer, contract, "CostDerivative", width, costDerivative, costArguments);
            }

            int regularizerInputs = spec.RegularizerInputCount;
            writer.WriteLine();
            OperatorWriter.WriteFunction(writer, contract, "Regularizer", SimdWidth.Scalar, CseProgram.Build(new[] { spec.Regularizer ?? Expr.Zero }), inputs, regularizerInputs);
            writer.WriteLine();
            OperatorWriter.WriteGradient(writer, contract, "RegularizerGradient", SimdWidth.Scalar, CseProgram.Build(derivation.RegularizerGradient), inputs, regularizerInputs);
        }

        return writer.ToString();
    }

    private static void WriteLayout(IndentedTextWriter writer, NetworkSpec spec)
    {
        static string Strings(IEnumerable<string> items) => "new string[] { " + string.Join(", ", items.Select(s => SymbolDisplay.FormatLiteral(s, quote: true))) + " }";

        string particleChannels = "new global::MeanField.ParticleChannel[] { "
            + string.Join(", ", spec.ParticleChannels.Select(c => $"new({c.First}, {c.Second})")) + " }";
        string pairChannels = "new int[] { " + string.Join(", ", spec.PairChannels.Select(j => j.ToString(CultureInfo.InvariantCulture))) + " }";

        writer.WriteLine(GeneratedCode);
        writer.WriteLine("private static readonly global::MeanField.NetworkLayout MeanFieldGeneratedLayout = new(");
        writer.WriteLine($"    modelName: {SymbolDisplay.FormatLiteral(spec.TypeName, quote: true)},");
        writer.WriteLine($"    scalarParameters: {Strings(spec.ScalarParameters)},");
        writer.WriteLine($"    vectorParameters: {Strings(spec.VectorParameters)},");
        writer.WriteLine($"    particleChannels: {particleChannels},");
        writer.WriteLine($"    usesSquaredNormOfInput: {(spec.UsesSquaredNormOfInput ? "true" : "false")},");
        writer.WriteLine($"    pairChannels: {pairChannels},");
        writer.WriteLine($"    hasRegularizer: {(spec.Regularizer is null ? "false" : "true")});");
    }

    /// <summary>C# identifiers for the input symbols, in input order.</summary>
    private static OperatorWriter.InputNames InputIdentifiers(NetworkSpec spec)
    {
        var map = new Dictionary<string, string>();
        for (int k = 0; k < spec.InputSymbols.Count; k++)
        {
            string symbol = spec.InputSymbols[k];
            map[symbol] = k < spec.ScalarCount ? "p_" + symbol : "ch" + k.ToString(CultureInfo.InvariantCulture);
        }

        return new OperatorWriter.InputNames(spec.InputSymbols, map);
    }

}
