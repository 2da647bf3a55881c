using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Emit;

/// <summary>
/// The derivation text every kind writes into its generated file (the header comment, the <c>Derivation</c> constant
/// and the <c>Formulas</c> table): the kind's opening lines, one line per derived quantity with the shared
/// subexpressions named once (<see cref="ReadableFormulas"/>), the chain rule from channel gradients to vector
/// gradients over the model's <see cref="InputLayout"/>, and the operation counts. The whole text stays under
/// <see cref="TextLimit"/> characters (the user-string limit of C# is far above it, CS8103): past the limit, formulas
/// are replaced by a note, and the text says how many were left out.
/// </summary>
internal sealed class DerivationText
{
    /// <summary>The most characters of the whole derivation text (header and <c>Derivation</c>).</summary>
    public const int TextLimit = 100_000;

    /// <summary>Room kept for the closing notes and the operation counts.</summary>
    private const int TextReserve = 1_000;

    private static readonly string ElisionNote =
        "… (elided: the derivation text is limited to " + TextLimit.ToString("N0", CultureInfo.InvariantCulture) + " characters; the generated code is exact)";

    private readonly StringBuilder text = new();
    private readonly List<KeyValuePair<string, string>> formulas = new();
    private readonly ReadableFormulas readable = new();
    private readonly List<string> operations = new();
    private readonly List<string> notes = new();
    private int elided;

    /// <summary>Each derived quantity ("φ", "∂φ/∂w", "K", …) and its readable formula, in the order of the text.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Formulas => formulas;

    /// <summary>Appends a line of the kind's opening (never elided); an empty line separates groups of formulas.</summary>
    public void Header(string line) => text.Append(line).Append('\n');

    /// <summary>The readable text of <paramref name="value"/>.</summary>
    public string Format(Expr value) => readable.Format(readable.Display(value));

    /// <summary>Adds <c>name = formula</c>, after the definitions of the shared subexpressions the formula names.</summary>
    public void Line(string name, Expr value) => Line(name, Format(value));

    /// <summary>Adds <c>name = formula</c> for a formula already formatted here (such as <see cref="VectorGradient"/>).</summary>
    public void Line(string name, string formula)
    {
        foreach (var definition in readable.TakeDefinitions())
        {
            Add(definition.Key, definition.Value);
        }

        Add(name, formula);
    }

    /// <summary>Adds <c>∂f/∂(input k) = …</c> for the first <paramref name="count"/> inputs of <paramref name="layout"/>.</summary>
    public void InputGradient(string function, IReadOnlyList<Expr> gradient, InputLayout layout, int count)
    {
        for (int k = 0; k < count; k++)
        {
            Line("∂" + function + "/∂" + layout.Symbols[k], gradient[k]);
        }
    }

    /// <summary>Adds a closing note, printed after the formulas and before the operation counts.</summary>
    public void Note(string line) => notes.Add(line);

    /// <summary>Adds a quantity's operation count (after simplification and CSE) to the closing line.</summary>
    public void Count(string name, CseProgram program) => operations.Add(name + " " + program.OperationCount.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// A function of one side's block (a potential, a confinement, a regularizer) after an empty line:
    /// <c>name = …</c>, <c>∂name/∂(input k) = …</c> for the first <paramref name="count"/> inputs, and its operation
    /// counts (<c>name</c>, <c>∇name</c>).
    /// </summary>
    public void SideFunction(string name, Expr value, IReadOnlyList<Expr> gradient, InputLayout layout, int count, CseProgram program, CseProgram gradientProgram)
    {
        Header(string.Empty);
        Line(name, value);
        InputGradient(name, gradient, layout, count);
        Count(name, program);
        Count("∇" + name, gradientProgram);
    }

    /// <summary>
    /// The chain rule through the channels, as text: ∂f/∂v for vector <paramref name="index"/> of
    /// <paramref name="side"/> is Σ over the channels that read v of (∂f/∂channel)·(∂channel/∂v): a per-particle
    /// channel v·u gives (∂f/∂(v·u))·u (|v|²: 2(∂f/∂|v|²)·v), a pair channel v·u′ gives (∂f/∂(v·u′))·u′, and
    /// |v − u′|² gives 2(∂f/∂|v − u′|²)·(v − u′) (on side B: −2(…)·(v − u′)).
    /// </summary>
    /// <param name="layout">The model's input layout.</param>
    /// <param name="gradient">∂f/∂(each input), in input order.</param>
    /// <param name="side">The vector's side.</param>
    /// <param name="index">The vector's index on its side.</param>
    public string VectorGradient(InputLayout layout, IReadOnlyList<Expr> gradient, Side side, int index)
    {
        var terms = new List<string>();
        var names = layout.Vectors(side);
        int q = side == Side.A ? layout.ScalarCount : layout.SideBChannelOffset;
        foreach (var channel in side == Side.A ? layout.SideAChannels : layout.SideBChannels)
        {
            if (channel.First == index && channel.Second == index)
            {
                Term(terms, 2 * gradient[q], names[index]);
            }
            else if (channel.First == index)
            {
                Term(terms, gradient[q], names[channel.Second]);
            }
            else if (channel.Second == index)
            {
                Term(terms, gradient[q], names[channel.First]);
            }

            q++;
        }

        int p = layout.PairChannelOffset;
        foreach (var pair in layout.PairChannels)
        {
            if ((side == Side.A ? pair.First : pair.Second) == index)
            {
                if (pair.IsSquaredDistance)
                {
                    string difference = "(" + layout.SideAVectors[pair.First] + " − " + layout.SideBVectors[pair.Second] + ")";
                    Term(terms, (side == Side.A ? 2 : -2) * gradient[p], difference);
                }
                else
                {
                    Term(terms, gradient[p], side == Side.A ? layout.SideBVectors[pair.Second] : layout.SideAVectors[pair.First]);
                }
            }

            p++;
        }

        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }

    /// <summary>A value in readable notation, cut at 120 characters: the notes' lists of hoisted or kept values.</summary>
    public static string Brief(Expr value)
    {
        string formula = FormulaPrinter.Print(DisplayForm.Normalize(value));
        return formula.Length <= 120 ? formula : formula.Substring(0, 119) + "…";
    }

    /// <summary>The finished text: the note on elided formulas if any, then the operation counts (<see cref="Count"/>).</summary>
    public string Finish()
    {
        if (elided > 0)
        {
            text.Append("… ").Append(elided.ToString(CultureInfo.InvariantCulture))
                .Append(" more formulas elided: the derivation text is limited to ")
                .Append(TextLimit.ToString("N0", CultureInfo.InvariantCulture)).Append(" characters; the generated code is exact\n");
        }

        text.Append('\n');
        foreach (var note in notes)
        {
            text.Append(note).Append('\n');
        }

        text.Append("Operations (after simplification and common-subexpression elimination): ").Append(string.Join(", ", operations));
        return text.ToString();
    }

    private void Add(string name, string formula)
    {
        if (text.Length + name.Length + formula.Length + 4 > TextLimit - TextReserve)
        {
            formula = ElisionNote;
            elided++;
        }
        else
        {
            text.Append(name).Append(" = ").Append(formula).Append('\n');
        }

        formulas.Add(new KeyValuePair<string, string>(name, formula));
    }

    private void Term(List<string> terms, Expr coefficient, string vector)
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
        string formula = readable.Format(display);
        terms.Add(atom ? $"{formula}·{vector}" : $"({formula})·{vector}");
    }
}
