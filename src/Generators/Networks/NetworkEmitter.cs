using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MeanField.Generators.Emit;
using MeanField.Generators.Helpers;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Networks;

/// <summary>
/// Writes the generated file of one network model on the shared writers: the <see cref="FileSkeleton"/> (header with
/// the derived formulas and operation counts, <c>Derivation</c>, <c>Formulas</c>, the <c>NetworkLayout</c>), then
/// explicit implementations of <c>INetworkModel&lt;T&gt;</c>'s operators with <see cref="OperatorWriter"/>: the unit
/// and its gradient at every SIMD width, the cost's derivative at every width, the cost and the regularizer with its
/// gradient (scalar).
/// </summary>
internal static class NetworkEmitter
{
    public static string Emit(NetworkSpec spec)
    {
        var derivation = NetworkDerivation.Derive(spec);
        var layout = spec.Layout;
        string contract = FileSkeleton.Contract(spec, "INetworkModel");
        var layoutArguments = new KeyValuePair<string, string>[]
        {
            new("usesSquaredNormOfInput", spec.UsesSquaredNormOfInput ? "true" : "false"),
            new("pairChannels", "new int[] { " + string.Join(", ", layout.PairChannels.Select(c => c.First.ToString(CultureInfo.InvariantCulture))) + " }"),
            new("hasRegularizer", spec.Regularizer is null ? "false" : "true"),
        };

        var writer = new IndentedTextWriter();
        using (FileSkeleton.Begin(writer, spec, "network", contract, "NetworkLayout", layoutArguments, derivation.Text, derivation.Formulas, "∂φ/∂x"))
        {
            var inputs = OperatorWriter.InputNames.Of(layout);
            OperatorWriter.WriteEveryWidth(writer, contract, "Unit", derivation.UnitProgram, derivation.UnitGradientProgram, inputs, layout.Count);
            // ∇φ from the kept values reads them from the pair channels' slots and, beyond P of them, from the slots after the inputs.
            var cutInputs = derivation.Cut is { } kept ? inputs.With(kept.ExtraSymbols, "kept") : inputs;
            int cutInputCount = layout.Count + (derivation.Cut?.ExtraSymbols.Count ?? 0);
            if (derivation.Cut is { } cut)
            {
                // The cached schedule's pair: φ with the values it keeps per pair, and ∇φ from them (PairCut).
                writer.WriteLine();
                writer.WriteLine(OperatorWriter.GeneratedCode);
                writer.WriteLine($"static int {contract}.CutCount => {cut.Values.Count.ToString(CultureInfo.InvariantCulture)};");
                foreach (var width in OperatorWriter.Widths)
                {
                    writer.WriteLine();
                    OperatorWriter.WriteValueAnd(writer, contract, "UnitAndCut", "cut", width, derivation.UnitAndCutProgram!, inputs, layout.Count);
                }

                foreach (var width in OperatorWriter.Widths)
                {
                    writer.WriteLine();
                    OperatorWriter.WriteGradient(writer, contract, "UnitGradientFromCut", width, derivation.UnitGradientFromCutProgram!, cutInputs, cutInputCount);
                }
            }

            if (layout.Count <= OperatorWriter.BlockCapacity)
            {
                // The engine's hot loops pass a pair's inputs in a block's fields (registers) at these widths; the
                // particle-side subexpressions (if any) come from PrepareA, called once per group of particles.
                var hoist = derivation.Hoist;
                var blockInputs = hoist is null ? cutInputs : cutInputs.With(hoist.Symbols, "side");
                int blockInputCount = derivation.BlockSlots + (hoist?.Values.Count ?? 0);
                foreach (var width in OperatorWriter.BlockWidths)
                {
                    if (hoist is not null)
                    {
                        writer.WriteLine();
                        OperatorWriter.WritePrepare(writer, contract, "PrepareA", width, derivation.PrepareProgram!, inputs, layout.Count, derivation.BlockSlots);
                    }

                    writer.WriteLine();
                    OperatorWriter.WriteFunction(writer, contract, "Unit", width, derivation.UnitBlockProgram, blockInputs, blockInputCount, block: true);
                    writer.WriteLine();
                    OperatorWriter.WriteGradient(writer, contract, "UnitGradient", width, derivation.UnitGradientBlockProgram, blockInputs, blockInputCount, block: true);
                    if (derivation.Cut is not null)
                    {
                        writer.WriteLine();
                        OperatorWriter.WriteValueAnd(writer, contract, "UnitAndCut", "cut", width, derivation.UnitAndCutBlockProgram!, blockInputs, blockInputCount, block: true);
                        writer.WriteLine();
                        OperatorWriter.WriteGradient(writer, contract, "UnitGradientFromCut", width, derivation.UnitGradientFromCutBlockProgram!, blockInputs, blockInputCount, block: true);
                    }
                }
            }

            var costArguments = new Dictionary<string, string> { [NetworkSymbols.Target] = "target", [NetworkSymbols.Prediction] = "prediction" };
            writer.WriteLine();
            OperatorWriter.WriteBinary(writer, contract, "Cost", SimdWidth.Scalar, derivation.CostProgram, costArguments);
            foreach (var width in OperatorWriter.Widths)
            {
                writer.WriteLine();
                OperatorWriter.WriteBinary(writer, contract, "CostDerivative", width, derivation.CostDerivativeProgram, costArguments);
            }

            OperatorWriter.WriteScalar(writer, contract, "Regularizer", derivation.RegularizerProgram, derivation.RegularizerGradientProgram, inputs, layout.SideInputCount);
        }

        return writer.ToString();
    }
}
