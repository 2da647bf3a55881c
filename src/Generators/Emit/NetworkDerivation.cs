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

    public Expr CostDerivative { get; }

    public IReadOnlyList<Expr> RegularizerGradient { get; }

    public string Text { get; }

    /// <summary>Each derived quantity ("φ", "∂φ/∂w", "∂ℓ/∂ŷ", …) and its readable formula, in the order of <see cref="Text"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Formulas { get; }

    public static NetworkDerivation Derive(NetworkSpec spec)
    {
        var unitGradient = spec.InputSymbols.Select(s => Differentiation.Derivative(spec.Unit, s)).ToArray();
        var costDerivative = Differentiation.Derivative(spec.Cost, NetworkSymbols.Prediction);
        var regularizer = spec.Regularizer ?? Expr.Zero;
        var regularizerGradient = spec.InputSymbols.Take(spec.RegularizerInputCount).Select(s => Differentiation.Derivative(regularizer, s)).ToArray();

        var text = new StringBuilder();
        var formulas = new List<KeyValuePair<string, string>>();
        void Line(string name, string formula)
        {
            formulas.Add(new KeyValuePair<string, string>(name, formula));
            text.Append(name).Append(" = ").Append(formula).Append('\n');
        }

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
            Line("∂φ/∂" + spec.VectorParameters[a], VectorGradient(spec, unitGradient, a));
        }

        Line("∂φ/∂" + spec.InputName, InputGradient(spec, unitGradient));
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

        text.Append('\n');
        text.Append("Operations (after simplification and common-subexpression elimination): ")
            .Append("φ ").Append(Count(new[] { spec.Unit }))
            .Append(", ∇φ ").Append(Count(unitGradient))
            .Append(", ℓ ").Append(Count(new[] { spec.Cost }))
            .Append(", ∂ℓ/∂ŷ ").Append(Count(new[] { costDerivative }));
        if (spec.Regularizer is not null)
        {
            text.Append(", U ").Append(Count(new[] { spec.Regularizer })).Append(", ∇U ").Append(Count(regularizerGradient));
        }

        return new NetworkDerivation(unitGradient, costDerivative, regularizerGradient, text.ToString(), formulas);
    }

    /// <summary>The formula as a person reads it (flattened, merged, cancelled: see <see cref="DisplayForm"/>).</summary>
    private static string Readable(Expr value) => FormulaPrinter.Print(DisplayForm.Normalize(value));

    private static string Count(IReadOnlyList<Expr> outputs) => CseProgram.Build(outputs).OperationCount.ToString(CultureInfo.InvariantCulture);

    /// <summary>∂φ/∂v_a as a combination of vectors: Σ_channels (∂φ/∂channel)·(∂channel/∂v_a).</summary>
    private static string VectorGradient(NetworkSpec spec, Expr[] gradient, int a)
    {
        var terms = new List<string>();
        int q = spec.ScalarCount;
        foreach (var channel in spec.ParticleChannels)
        {
            if (channel.First == a && channel.Second == a)
            {
                Term(terms, 2 * gradient[q], spec.VectorParameters[a]);
            }
            else if (channel.First == a)
            {
                Term(terms, gradient[q], spec.VectorParameters[channel.Second]);
            }
            else if (channel.Second == a)
            {
                Term(terms, gradient[q], spec.VectorParameters[channel.First]);
            }

            q++;
        }

        int p = spec.ScalarCount + spec.ParticleChannels.Count + (spec.UsesSquaredNormOfInput ? 1 : 0);
        foreach (int j in spec.PairChannels)
        {
            if (j == a)
            {
                Term(terms, gradient[p], spec.InputName);
            }

            p++;
        }

        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }

    /// <summary>∂φ/∂x = Σ_j (∂φ/∂(v_j·x))·v_j + 2·(∂φ/∂|x|²)·x.</summary>
    private static string InputGradient(NetworkSpec spec, Expr[] gradient)
    {
        var terms = new List<string>();
        int r = spec.ScalarCount + spec.ParticleChannels.Count;
        if (spec.UsesSquaredNormOfInput)
        {
            Term(terms, 2 * gradient[r], spec.InputName);
            r++;
        }

        foreach (int j in spec.PairChannels)
        {
            Term(terms, gradient[r], spec.VectorParameters[j]);
            r++;
        }

        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }

    private static void Term(List<string> terms, Expr coefficient, string vector)
    {
        var readable = DisplayForm.Normalize(coefficient);
        if (readable.IsConstant(out double value) && value == 0)
        {
            return;
        }

        if (readable.IsConstant(out double one) && one == 1)
        {
            terms.Add(vector);
            return;
        }

        // A select, call, max/min or symbol already reads as one factor: no extra parentheses.
        bool atom = readable.Kind is ExprKind.Conditional or ExprKind.Function or ExprKind.Max or ExprKind.Min or ExprKind.Symbol;
        string text = FormulaPrinter.Print(readable);
        terms.Add(atom ? $"{text}·{vector}" : $"({text})·{vector}");
    }
}
