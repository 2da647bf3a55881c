using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MeanField.Generators.Helpers;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Emit;

/// <summary>
/// The writers every model kind's emitter shares: the per-width operator bodies (inputs loaded highest index first,
/// CSE temporaries, the output or the gradient written in input order) and the attributes on generated members.
/// </summary>
internal static class OperatorWriter
{
    /// <summary>The attribute on every generated member.</summary>
    public const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"MeanField.Generators\", \"" + GeneratorInfo.Version + "\")]";

    /// <summary>Operators are small and called per pair in the engine's tile loops: inline them.</summary>
    public const string Inline = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";

    /// <summary>
    /// The most IL locals a method may declare and still be inlined by .NET 10's JIT: a callee of 33 gets "too many
    /// locals" (the runtime's <c>MethodJitInliningFailed</c> event; measured with AggressiveInlining methods of 29–33
    /// vector locals). A split operator (<see cref="WriteProgram"/>) declares its branches' temporaries once to stay within it.
    /// </summary>
    public const int MaxInlineLocals = 32;

    /// <summary>The widths each vectorised operator is written for.</summary>
    public static readonly SimdWidth[] Widths = { SimdWidth.Scalar, SimdWidth.Vector128, SimdWidth.Vector256, SimdWidth.Vector512 };

    /// <summary>The input symbols in input order and their C# identifiers.</summary>
    public sealed record InputNames(EquatableArray<string> Symbols, Dictionary<string, string> Map)
    {
        /// <summary>The C# identifiers of a layout's inputs: <c>p_c</c> for a scalar c of θ, <c>q_c</c> for its
        /// counterpart on side B (θ′), <c>ch{k}</c> for channel k.</summary>
        public static InputNames Of(InputLayout layout)
        {
            var map = new Dictionary<string, string>();
            for (int k = 0; k < layout.Count; k++)
            {
                map[layout.Symbols[k]] = k < layout.ScalarCount ? "p_" + layout.Symbols[k]
                    : layout.IsScalar(k) ? "q_" + layout.Symbols[k - layout.SideBOffset]
                    : "ch" + k.ToString(CultureInfo.InvariantCulture);
            }

            return new InputNames(layout.Symbols, map);
        }

        /// <summary>These inputs and, in the slots after them, <paramref name="extra"/> named <paramref name="prefix"/>0, 1, ….</summary>
        public InputNames With(IReadOnlyList<string> extra, string prefix)
        {
            if (extra.Count == 0)
            {
                return this;
            }

            var map = new Dictionary<string, string>(Map);
            for (int j = 0; j < extra.Count; j++)
            {
                map[extra[j]] = prefix + j.ToString(CultureInfo.InvariantCulture);
            }

            return new InputNames(new EquatableArray<string>(Symbols.Concat(extra).ToArray()), map);
        }
    }

    /// <summary>
    /// <c>{name}</c> at every width (<see cref="Widths"/>), then <c>{name}Gradient</c> at every width, each after an
    /// empty line: the operators the engine calls per pair (a unit, a kernel).
    /// </summary>
    public static void WriteEveryWidth(IndentedTextWriter writer, string contract, string name, CseProgram program, CseProgram gradient, InputNames inputs, int inputCount)
    {
        foreach (var width in Widths)
        {
            writer.WriteLine();
            WriteFunction(writer, contract, name, width, program, inputs, inputCount);
        }

        foreach (var width in Widths)
        {
            writer.WriteLine();
            WriteGradient(writer, contract, name + "Gradient", width, gradient, inputs, inputCount);
        }
    }

    /// <summary><c>{name}</c> and <c>{name}Gradient</c> at the scalar width, each after an empty line: the functions of
    /// one side's block (a potential, a confinement, a regularizer), called once per particle.</summary>
    public static void WriteScalar(IndentedTextWriter writer, string contract, string name, CseProgram program, CseProgram gradient, InputNames inputs, int inputCount)
    {
        writer.WriteLine();
        WriteFunction(writer, contract, name, SimdWidth.Scalar, program, inputs, inputCount);
        writer.WriteLine();
        WriteGradient(writer, contract, name + "Gradient", SimdWidth.Scalar, gradient, inputs, inputCount);
    }

    public static void WriteFunction(IndentedTextWriter writer, string contract, string name, SimdWidth width, CseProgram program, InputNames inputs, int inputCount, bool block = false)
    {
        string type = TypeName(width);
        writer.WriteLine(GeneratedCode);
        writer.WriteLine(Inline);
        using (writer.WriteBlock($"static {type} {contract}.{name}({Parameter(type, "inputs", block, readOnly: true)})"))
        {
            WriteInputs(writer, program, inputs, inputCount, block);
            WriteProgram(writer, program, width, inputs.Map, (p, _) =>
                writer.WriteLine($"return {CSharpPrinter.Print(p.Outputs[0], width, s => inputs.Map[s])};"));
        }
    }

    public static void WriteGradient(IndentedTextWriter writer, string contract, string name, SimdWidth width, CseProgram program, InputNames inputs, int inputCount, bool block = false)
        => WriteGradientBody(writer, contract, name, width, program, inputs, inputCount, returnsValue: false, block: block);

    /// <summary>
    /// <c>{name}</c> at <paramref name="width"/> from one program whose output 0 is the value and outputs 1… the gradient:
    /// writes the gradient in input order and returns the value, the two sharing their common subexpressions.
    /// </summary>
    public static void WriteValueAndGradient(IndentedTextWriter writer, string contract, string name, SimdWidth width, CseProgram program, InputNames inputs, int inputCount, bool block = false)
        => WriteGradientBody(writer, contract, name, width, program, inputs, inputCount, returnsValue: true, block: block);

    /// <summary>
    /// <c>{name}(inputs, {output})</c> at <paramref name="width"/> from one program whose output 0 is the value, returned,
    /// and outputs 1… are written to the span <paramref name="output"/> in order (a network's value and cut values).
    /// </summary>
    public static void WriteValueAnd(IndentedTextWriter writer, string contract, string name, string output, SimdWidth width, CseProgram program, InputNames inputs, int inputCount, bool block = false)
        => WriteGradientBody(writer, contract, name, width, program, inputs, inputCount, returnsValue: true, output, block);

    /// <summary>
    /// <c>void {name}(inputs, {output})</c> at <paramref name="width"/>: the program's outputs written to the span
    /// <paramref name="output"/> in order (an interaction's side values of one particle).
    /// </summary>
    public static void WriteOutputs(IndentedTextWriter writer, string contract, string name, string output, SimdWidth width, CseProgram program, InputNames inputs, int inputCount)
        => WriteGradientBody(writer, contract, name, width, program, inputs, inputCount, returnsValue: false, output);

    /// <summary>
    /// The widths that get block overloads (<c>ref InputBlock&lt;T&gt;</c> in and out, the engine's hot loops at its
    /// preferred widths; the others fall back to the span overloads), for models of at most
    /// <see cref="BlockCapacity"/> inputs.
    /// </summary>
    public static readonly SimdWidth[] BlockWidths = { SimdWidth.Vector256, SimdWidth.Vector512 };

    /// <summary>The fields of the runtime's <c>InputBlock&lt;T&gt;</c>.</summary>
    public const int BlockCapacity = 16;

    /// <summary>A span parameter, or a block passed by reference.</summary>
    private static string Parameter(string type, string name, bool block, bool readOnly) =>
        block ? $"ref global::MeanField.InputBlock<{type}> {name}"
        : readOnly ? $"global::System.ReadOnlySpan<{type}> {name}" : $"global::System.Span<{type}> {name}";

    /// <summary>Element <paramref name="k"/> of a span or field V<paramref name="k"/> of a block.</summary>
    private static string Element(string name, int k, bool block) =>
        block ? $"{name}.V{k.ToString(CultureInfo.InvariantCulture)}" : $"{name}[{k.ToString(CultureInfo.InvariantCulture)}]";

    /// <summary>The gradient operator's body: outputs [value,] ∂/∂input 0, 1, …; written last input first, then the value returned.</summary>
    private static void WriteGradientBody(IndentedTextWriter writer, string contract, string name, SimdWidth width, CseProgram program, InputNames inputs, int inputCount, bool returnsValue, string output = "gradient", bool block = false)
    {
        string type = TypeName(width);
        int first = returnsValue ? 1 : 0;
        writer.WriteLine(GeneratedCode);
        writer.WriteLine(Inline);
        using (writer.WriteBlock($"static {(returnsValue ? type : "void")} {contract}.{name}({Parameter(type, "inputs", block, readOnly: true)}, {Parameter(type, output, block, readOnly: false)})"))
        {
            WriteInputs(writer, program, inputs, inputCount, block);
            WriteProgram(writer, program, width, inputs.Map, (p, _) =>
            {
                for (int k = p.Outputs.Count - 1; k >= first; k--)
                {
                    writer.WriteLine($"{Element(output, k - first, block)} = {CSharpPrinter.Print(p.Outputs[k], width, s => inputs.Map[s])};");
                }

                if (returnsValue)
                {
                    writer.WriteLine($"return {CSharpPrinter.Print(p.Outputs[0], width, s => inputs.Map[s])};");
                }
            });
        }
    }

    /// <summary>
    /// <c>{name}(ref InputBlock&lt;T&gt; inputs)</c> at <paramref name="width"/>: reads the inputs the program uses and
    /// writes its outputs into the block's fields <paramref name="firstSlot"/>, <paramref name="firstSlot"/> + 1, … (the
    /// values the block operators read there, <see cref="SideHoist"/>).
    /// </summary>
    public static void WritePrepare(IndentedTextWriter writer, string contract, string name, SimdWidth width, CseProgram program, InputNames inputs, int inputCount, int firstSlot)
    {
        string type = TypeName(width);
        writer.WriteLine(GeneratedCode);
        writer.WriteLine(Inline);
        using (writer.WriteBlock($"static void {contract}.{name}({Parameter(type, "inputs", block: true, readOnly: false)})"))
        {
            WriteInputs(writer, program, inputs, inputCount, block: true);
            WriteProgram(writer, program, width, inputs.Map, (p, _) =>
            {
                for (int k = p.Outputs.Count - 1; k >= 0; k--)
                {
                    writer.WriteLine($"{Element("inputs", firstSlot + k, block: true)} = {CSharpPrinter.Print(p.Outputs[k], width, s => inputs.Map[s])};");
                }
            });
        }
    }

    public static void WriteBinary(IndentedTextWriter writer, string contract, string name, SimdWidth width, CseProgram program, Dictionary<string, string> arguments)
    {
        string type = TypeName(width);
        writer.WriteLine(GeneratedCode);
        writer.WriteLine(Inline);
        using (writer.WriteBlock($"static {type} {contract}.{name}({type} target, {type} prediction)"))
        {
            WriteProgram(writer, program, width, arguments, (p, _) =>
                writer.WriteLine($"return {CSharpPrinter.Print(p.Outputs[0], width, s => arguments[s])};"));
        }
    }

    /// <summary>Loads the inputs the program uses, highest index first (one bounds check for all).</summary>
    public static void WriteInputs(IndentedTextWriter writer, CseProgram program, InputNames inputs, int inputCount, bool block = false)
    {
        var used = UsedSymbols(program);
        for (int k = inputCount - 1; k >= 0; k--)
        {
            string symbol = inputs.Symbols[k];
            if (used.Contains(symbol))
            {
                writer.WriteLine($"var {inputs.Map[symbol]} = {Element("inputs", k, block)};");
            }
        }
    }

    /// <summary>The symbols a program reads (in its temporaries or its outputs): the inputs to load.</summary>
    public static HashSet<string> UsedSymbols(CseProgram program)
    {
        var used = new HashSet<string>();
        foreach (var temp in program.Temps)
        {
            used.UnionWith(temp.Value.Symbols());
        }

        foreach (var output in program.Outputs)
        {
            used.UnionWith(output.Symbols());
        }

        return used;
    }

    public static void WriteTemps(IndentedTextWriter writer, CseProgram program, SimdWidth width, Dictionary<string, string> symbols)
    {
        foreach (var temp in program.Temps)
        {
            writer.WriteLine($"var t{temp.Index} = {CSharpPrinter.Print(temp.Value, width, s => symbols[s])};");
        }
    }

    /// <summary>
    /// The temporaries and, through <paramref name="outputs"/> (the program to write, and whether it is a specialised
    /// branch's), the outputs. At vector widths, where one condition's selects guard expensive work
    /// (<see cref="UniformBranches"/>), the condition's lanes are tested once after the temporaries it reads, and a
    /// vector whose lanes all agree runs the program specialised to that outcome: the same bits, less work.
    /// </summary>
    private static void WriteProgram(IndentedTextWriter writer, CseProgram program, SimdWidth width, Dictionary<string, string> symbols, Action<CseProgram, bool> outputs)
    {
        var split = width == SimdWidth.Scalar ? null : Splits.GetValue(program, p => new SplitBox(UniformBranches.Find(p))).Split;
        if (split is null)
        {
            WriteTemps(writer, program, width, symbols);
            outputs(program, false);
            return;
        }

        WriteTempsFrom(writer, program, 0, split.Prefix, width, symbols);

        // The branches' temporaries declared once, assigned in each branch: the JIT inlines a method of at most
        // MaxInlineLocals IL locals, and a `var` per branch would count every branch's copy.
        var shared = new[] { split.WhenNone, split.WhenAll, program }
            .Where(p => p is not null)
            .SelectMany(p => p!.Temps.Where(t => t.Index >= split.Prefix).Select(t => t.Index))
            .Distinct()
            .OrderBy(i => i)
            .ToList();
        if (shared.Count > 0)
        {
            writer.WriteLine($"// The branches' temporaries, declared once: the JIT inlines a method of at most {MaxInlineLocals} locals.");
            writer.WriteLine($"{TypeName(width)} {string.Join(", ", shared.Select(i => "t" + i.ToString(CultureInfo.InvariantCulture)))};");
        }

        var q = split.Condition;
        writer.WriteLine($"var lanes = {CSharpPrinter.PrintComparison(q.Comparison, q.Left, q.Right, width, s => symbols[s])};");
        string bits = $"{CSharpPrinter.VectorTypeName(width)}.ExtractMostSignificantBits(lanes)";
        string keyword = "if";
        foreach (var (branch, test) in new[] { (split.WhenNone, $"{bits} == 0"), (split.WhenAll, $"{bits} == {AllLanes(width)}") })
        {
            if (branch is null)
            {
                continue;
            }

            using (writer.WriteBlock($"{keyword} ({test})"))
            {
                WriteTempsFrom(writer, branch, split.Prefix, int.MaxValue, width, symbols, declare: false);
                outputs(branch, true);
            }

            keyword = "else if";
        }

        using (writer.WriteBlock("else"))
        {
            WriteTempsFrom(writer, program, split.Prefix, int.MaxValue, width, symbols, declare: false);
            outputs(program, false);
        }
    }

    /// <summary>Each program's split, found once for its three vector widths.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CseProgram, SplitBox> Splits = new();

    private sealed class SplitBox
    {
        public SplitBox(UniformBranches.Split? split) => Split = split;

        public UniformBranches.Split? Split { get; }
    }

    /// <summary>The temporaries numbered [from, to), each declared (<c>var</c>) or assigned to its declared local.</summary>
    private static void WriteTempsFrom(IndentedTextWriter writer, CseProgram program, int from, int to, SimdWidth width, Dictionary<string, string> symbols, bool declare = true)
    {
        foreach (var temp in program.Temps)
        {
            if (temp.Index >= from && temp.Index < to)
            {
                writer.WriteLine($"{(declare ? "var " : string.Empty)}t{temp.Index} = {CSharpPrinter.Print(temp.Value, width, s => symbols[s])};");
            }
        }
    }

    /// <summary>The mask of every lane: ExtractMostSignificantBits of an all-true comparison.</summary>
    private static string AllLanes(SimdWidth width) => width switch
    {
        SimdWidth.Vector128 => "0x3",
        SimdWidth.Vector256 => "0xF",
        _ => "0xFF",
    };

    /// <summary>The C# type of one value at <paramref name="width"/>.</summary>
    public static string TypeName(SimdWidth width) => width switch
    {
        SimdWidth.Vector128 => "global::System.Runtime.Intrinsics.Vector128<double>",
        SimdWidth.Vector256 => "global::System.Runtime.Intrinsics.Vector256<double>",
        SimdWidth.Vector512 => "global::System.Runtime.Intrinsics.Vector512<double>",
        _ => "double",
    };
}
