using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Emit;

/// <summary>
/// The derived quantities of a network model: ∂φ/∂(each input), ∂ℓ/∂ŷ, ∂U/∂(each regularizer input),
/// and a readable text of all formulas with operation counts (the generated file's header and its
/// <c>Derivation</c> constant).
/// </summary>
internal sealed class NetworkDerivation
{
    private NetworkDerivation(Expr[] unitGradient, Expr costDerivative, Expr[] regularizerGradient, string text, IReadOnlyList<KeyValuePair<string, string>> formulas)
    {
        UnitGradient = unitGradient;
        CostDerivative = costDerivative;
        RegularizerGradient = regularizerGradient;
        Text = text;
        Formulas = formulas;
    }

    public IReadOnlyList<Expr> UnitGradient { get; }

    /// <summary>The CSE program of φ (built once: the operation count and the emitter share it).</summary>
    public CseProgram UnitProgram { get; private set; } = null!;

    /// <summary>The CSE program of ∇φ.</summary>
    public CseProgram UnitGradientProgram { get; private set; } = null!;

    public Expr CostDerivative { get; }

    public IReadOnlyList<Expr> RegularizerGradient { get; }

    public string Text { get; }

    /// <summary>Each derived quantity ("φ", "∂φ/∂w", "∂ℓ/∂ŷ", …) and its readable formula, in the order of <see cref="Text"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Formulas { get; }

    public static NetworkDerivation Derive(NetworkSpec spec)
    {
        var unitGradient = Differentiation.Derivatives(spec.Unit, spec.InputSymbols);
        var costDerivative = Differentiation.Derivative(spec.Cost, NetworkSymbols.Prediction);
        var regularizer = spec.Regularizer ?? Expr.Zero;
        var regularizerGradient = Differentiation.Derivatives(regularizer, spec.InputSymbols.Take(spec.RegularizerInputCount).ToArray());

        var unitProgram = CseProgram.Build(new[] { spec.Unit });
        var unitGradientProgram = CseProgram.Build(unitGradient);
        var text = new StringBuilder();
        var formulas = new List<KeyValuePair<string, string>>();
        var readable = new ReadableFormulas();
        int elidedLines = 0;
        void Line(string name, string formula)
        {
            foreach (var definition in readable.TakeDefinitions())
            {
                Add(definition.Key, definition.Value);
            }

            Add(name, formula);
        }

        void Add(string name, string formula)
        {
            // The whole text stays under TextLimit (the user-string limit of C# is far above it, CS8103): past the
            // limit, formulas are replaced by a note, and the text says how many were left out.
            if (text.Length + name.Length + formula.Length + 4 > TextLimit - TextReserve)
            {
                formula = TextElisionNote;
                elidedLines++;
            }
            else
            {
                text.Append(name).Append(" = ").Append(formula).Append('\n');
            }

            formulas.Add(new KeyValuePair<string, string>(name, formula));
        }

        string Readable(Expr value) => readable.Format(readable.Display(value));

        text.Append("Network ").Append(spec.TypeName).Append(": f(").Append(spec.InputName).Append(") = (1/n) Σ_i φ(")
            .Append(spec.InputName).Append("; θ_i); ").Append(spec.UnitDescription).Append('\n');
        text.Append("Parameters: scalars (").Append(string.Join(", ", spec.ScalarParameters))
            .Append("), vectors (").Append(string.Join(", ", spec.VectorParameters)).Append(") of the input's dimension\n");
        text.Append("Inputs of the generated operators, in order: ").Append(string.Join(", ", spec.InputSymbols)).Append('\n');
        text.Append('\n');
        Line("φ", Readable(spec.Unit));
        for (int k = 0; k < spec.ScalarCount; k++)
        {
            Line("∂φ/∂" + spec.ScalarParameters[k], Readable(unitGradient[k]));
        }

        for (int a = 0; a < spec.VectorParameters.Count; a++)
        {
            Line("∂φ/∂" + spec.VectorParameters[a], VectorGradient(spec, unitGradient, a, readable));
        }

        Line("∂φ/∂" + spec.InputName, InputGradient(spec, unitGradient, readable));
        text.Append('\n');
        Line("ℓ(y, ŷ)", Readable(spec.Cost));
        Line("∂ℓ/∂ŷ", Readable(costDerivative));
        if (spec.Regularizer is not null)
        {
            text.Append('\n');
            Line("U", Readable(spec.Regularizer));
            for (int k = 0; k < spec.RegularizerInputCount; k++)
            {
                Line("∂U/∂" + spec.InputSymbols[k], Readable(regularizerGradient[k]));
            }
        }

        if (elidedLines > 0)
        {
            text.Append("… ").Append(elidedLines.ToString(CultureInfo.InvariantCulture))
                .Append(" more formulas elided: the derivation text is limited to ")
                .Append(TextLimit.ToString("N0", CultureInfo.InvariantCulture)).Append(" characters; the generated code is exact\n");
        }

        text.Append('\n');
        text.Append("Operations (after simplification and common-subexpression elimination): ")
            .Append("φ ").Append(Count(unitProgram))
            .Append(", ∇φ ").Append(Count(unitGradientProgram))
            .Append(", ℓ ").Append(Count(new[] { spec.Cost }))
            .Append(", ∂ℓ/∂ŷ ").Append(Count(new[] { costDerivative }));
        if (spec.Regularizer is not null)
        {
            text.Append(", U ").Append(Count(new[] { spec.Regularizer })).Append(", ∇U ").Append(Count(regularizerGradient));
        }

        return new NetworkDerivation(unitGradient, costDerivative, regularizerGradient, text.ToString(), formulas)
        {
            UnitProgram = unitProgram,
            UnitGradientProgram = unitGradientProgram,
        };
    }

    /// <summary>The most characters of the whole derivation text (header and <c>Derivation</c>).</summary>
    public const int TextLimit = 100_000;

    /// <summary>Room kept for the closing notes and the operation counts.</summary>
    private const int TextReserve = 1_000;

    private static readonly string TextElisionNote =
        "… (elided: the derivation text is limited to " + TextLimit.ToString("N0", CultureInfo.InvariantCulture) + " characters; the generated code is exact)";

    private static string Count(IReadOnlyList<Expr> outputs) => Count(CseProgram.Build(outputs));

    private static string Count(CseProgram program) => program.OperationCount.ToString(CultureInfo.InvariantCulture);

    /// <summary>∂φ/∂v_a as a combination of vectors: Σ_channels (∂φ/∂channel)·(∂channel/∂v_a).</summary>
    private static string VectorGradient(NetworkSpec spec, Expr[] gradient, int a, ReadableFormulas readable)
    {
        var terms = new List<string>();
        int q = spec.ScalarCount;
        foreach (var channel in spec.ParticleChannels)
        {
            if (channel.First == a && channel.Second == a)
            {
                Term(readable, terms, 2 * gradient[q], spec.VectorParameters[a]);
            }
            else if (channel.First == a)
            {
                Term(readable, terms, gradient[q], spec.VectorParameters[channel.Second]);
            }
            else if (channel.Second == a)
            {
                Term(readable, terms, gradient[q], spec.VectorParameters[channel.First]);
            }

            q++;
        }

        int p = spec.ScalarCount + spec.ParticleChannels.Count + (spec.UsesSquaredNormOfInput ? 1 : 0);
        foreach (int j in spec.PairChannels)
        {
            if (j == a)
            {
                Term(readable, terms, gradient[p], spec.InputName);
            }

            p++;
        }

        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }

    /// <summary>∂φ/∂x = Σ_j (∂φ/∂(v_j·x))·v_j + 2·(∂φ/∂|x|²)·x.</summary>
    private static string InputGradient(NetworkSpec spec, Expr[] gradient, ReadableFormulas readable)
    {
        var terms = new List<string>();
        int r = spec.ScalarCount + spec.ParticleChannels.Count;
        if (spec.UsesSquaredNormOfInput)
        {
            Term(readable, terms, 2 * gradient[r], spec.InputName);
            r++;
        }

        foreach (int j in spec.PairChannels)
        {
            Term(readable, terms, gradient[r], spec.VectorParameters[j]);
            r++;
        }

        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }

    private static void Term(ReadableFormulas readable, List<string> terms, Expr coefficient, string vector)
    {
        var display = readable.Display(coefficient);
        if (display.IsConstant(out double value) && value == 0)
        {
            return;
        }

        if (display.IsConstant(out double one) && one == 1)
        {
            terms.Add(vector);
            return;
        }

        // A select, call, max/min or symbol already reads as one factor: no extra parentheses.
        bool atom = display.Kind is ExprKind.Conditional or ExprKind.Function or ExprKind.Max or ExprKind.Min or ExprKind.Symbol;
        string text = readable.Format(display);
        terms.Add(atom ? $"{text}·{vector}" : $"({text})·{vector}");
    }
}
