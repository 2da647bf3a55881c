using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.BadInputs;

internal static partial class BadInputRows
{
    // One GatedTanh point θ = (c, b; w) at d = 3, and x; the world's Buffer/Buffer2/Buffer3 are the destinations.
    private static readonly double[] S = [0.5, -0.2];
    private static readonly double[] V = [0.3, -0.1, 0.7];
    private static readonly double[] X = [1.0, 2.0, -0.5];

    private static IEnumerable<BadInputRow> ContractRows() =>
        NetworkUnitRows().Concat(LayoutRows()).Concat(InteractionLayoutRows()).Concat(FormulaRows()).Concat(ChannelRows());

    private static IEnumerable<BadInputRow> NetworkUnitRows()
    {
        const string Value = "NetworkUnit.Value(ReadOnlySpan<Double>, ReadOnlySpan<Double>, ReadOnlySpan<Double>)";
        foreach (BadInputRow row in PointRows(Value, (w, s, v, x) => NetworkUnit.Value<GatedTanh>(s, v, x)))
        {
            yield return row;
        }

        const string Gradient = "NetworkUnit.Gradient(ReadOnlySpan<Double>, ReadOnlySpan<Double>, ReadOnlySpan<Double>, Span<Double>, Span<Double>, Span<Double>)";
        foreach (BadInputRow row in PointRows(Gradient, (w, s, v, x) => NetworkUnit.Gradient<GatedTanh>(s, v, x, w.Buffer.AsSpan(0, 2), w.Buffer2.AsSpan(0, 3), w.Buffer3.AsSpan(0, 3))))
        {
            yield return row;
        }

        foreach ((string name, int s, int v, int x) in new[] { ("scalarGradient", 1, 3, 3), ("scalarGradient", 3, 3, 3), ("vectorGradient", 2, 2, 3), ("vectorGradient", 2, 4, 3), ("inputGradient", 2, 3, 2), ("inputGradient", 2, 3, 4) })
        {
            int actual = name switch { "scalarGradient" => s, "vectorGradient" => v, _ => x };
            int expected = name == "scalarGradient" ? 2 : 3;
            yield return Row<ArgumentException>(Gradient, $"{name} of length {actual}", name, [$"{name} has length {actual}; expected exactly {expected}"],
                w => NetworkUnit.Gradient<GatedTanh>(S, V, X, w.Buffer.AsSpan(0, s), w.Buffer2.AsSpan(0, v), w.Buffer3.AsSpan(0, x)));
        }

        const string Regularizer = "NetworkUnit.Regularizer(ReadOnlySpan<Double>, ReadOnlySpan<Double>, Int32)";
        foreach (BadInputRow row in ParticleRows(Regularizer, (w, s, v, d) => NetworkUnit.Regularizer<GatedTanh>(s, v, d)))
        {
            yield return row;
        }

        const string RegularizerGradient = "NetworkUnit.RegularizerGradient(ReadOnlySpan<Double>, ReadOnlySpan<Double>, Int32, Span<Double>, Span<Double>)";
        foreach (BadInputRow row in ParticleRows(RegularizerGradient, (w, s, v, d) => NetworkUnit.RegularizerGradient<GatedTanh>(s, v, d, w.Buffer.AsSpan(0, 2), w.Buffer2.AsSpan(0, 3))))
        {
            yield return row;
        }

        foreach ((string name, int s, int v) in new[] { ("scalarGradient", 1, 3), ("scalarGradient", 3, 3), ("vectorGradient", 2, 2), ("vectorGradient", 2, 4) })
        {
            int actual = name == "scalarGradient" ? s : v;
            int expected = name == "scalarGradient" ? 2 : 3;
            yield return Row<ArgumentException>(RegularizerGradient, $"{name} of length {actual}", name, [$"{name} has length {actual}; expected exactly {expected}"],
                w => NetworkUnit.RegularizerGradient<GatedTanh>(S, V, 3, w.Buffer.AsSpan(0, s), w.Buffer2.AsSpan(0, v)));
        }

        const string Inputs = "NetworkUnit.Inputs(ReadOnlySpan<Double>, ReadOnlySpan<Double>, ReadOnlySpan<Double>, Span<Double>)";
        foreach (BadInputRow row in PointRows(Inputs, (w, s, v, x) => NetworkUnit.Inputs<GatedTanh>(s, v, x, w.Buffer.AsSpan(0, 3))))
        {
            yield return row;
        }

        yield return Row<ArgumentException>(Inputs, "inputs too short", "inputs", ["inputs has length 2; expected exactly 3"], w => NetworkUnit.Inputs<GatedTanh>(S, V, X, w.Buffer.AsSpan(0, 2)));
        yield return Row<ArgumentException>(Inputs, "inputs too long", "inputs", ["inputs has length 4; expected exactly 3"], w => NetworkUnit.Inputs<GatedTanh>(S, V, X, w.Buffer.AsSpan(0, 4)));
    }

    /// <summary>Bad θ or x for the members taking (scalars, vectors, x).</summary>
    private static IEnumerable<BadInputRow> PointRows(string member, Action<BadInputWorld, double[], double[], double[]> call)
    {
        yield return Row<ArgumentException>(member, "scalars too short", "scalars", ["2 scalar parameters; got 1 values"], w => call(w, [0.5], V, X));
        yield return Row<ArgumentException>(member, "scalars too long", "scalars", ["2 scalar parameters; got 3 values"], w => call(w, [0.5, 0.1, 0.2], V, X));
        yield return Row<ArgumentException>(member, "vectors not V × d", "vectors", ["of dimension 3, 3 values (V × d); got 2 values"], w => call(w, S, [0.3, 0.1], X));
        yield return Row<ArgumentException>(member, "x empty", "x", ["x is empty"], w => call(w, S, V, []));
        yield return Row<ArgumentException>(member, "scalars[1] is NaN", "scalars", ["scalars[1] is NaN"], w => call(w, [0.5, double.NaN], V, X));
        yield return Row<ArgumentException>(member, "vectors[0, 2] is +∞", "vectors", ["vectors[0, 2] (row 0, component 2; flat index 2) is Infinity"], w => call(w, S, [0.3, 0.1, double.PositiveInfinity], X));
        yield return Row<ArgumentException>(member, "x[1] is NaN", "x", ["x[1] is NaN"], w => call(w, S, V, [1.0, double.NaN, 0.0]));
        yield return Row<ArgumentException>(member, "x[2] is -∞", "x", ["x[2] is -Infinity"], w => call(w, S, V, [1.0, 2.0, double.NegativeInfinity]));
    }

    /// <summary>Bad θ or d for the members taking (scalars, vectors, dimension).</summary>
    private static IEnumerable<BadInputRow> ParticleRows(string member, Action<BadInputWorld, double[], double[], int> call)
    {
        yield return Row<ArgumentOutOfRangeException>(member, "dimension 0", "dimension", ["at least 1", "0"], w => call(w, S, V, 0));
        yield return Row<ArgumentOutOfRangeException>(member, "dimension -2", "dimension", ["-2"], w => call(w, S, V, -2));
        yield return Row<ArgumentException>(member, "vectors not V × d for the given dimension", "vectors", ["of dimension 4, 4 values (V × d); got 3 values"], w => call(w, S, V, 4));
        yield return Row<ArgumentException>(member, "scalars too short", "scalars", ["2 scalar parameters; got 1 values"], w => call(w, [0.5], V, 3));
        yield return Row<ArgumentException>(member, "scalars[0] is NaN", "scalars", ["scalars[0] is NaN"], w => call(w, [double.NaN, 0.1], V, 3));
        yield return Row<ArgumentException>(member, "vectors[0, 1] is -∞", "vectors", ["vectors[0, 1] (row 0, component 1; flat index 1) is -Infinity"], w => call(w, S, [0.3, double.NegativeInfinity, 0.7], 3));
    }

    private static IEnumerable<BadInputRow> LayoutRows()
    {
        const string Ctor = "NetworkLayout..ctor(String, String[], String[], ParticleChannel[], Boolean, Int32[], Boolean)";
        yield return Row<ArgumentNullException>(Ctor, "modelName null", "modelName", ["modelName"], w => _ = new NetworkLayout(null!, ["c"], ["w"], [], false, [0], false));
        yield return Row<ArgumentNullException>(Ctor, "scalarParameters null", "scalarParameters", ["scalarParameters"], w => _ = new NetworkLayout("M", null!, ["w"], [], false, [0], false));
        yield return Row<ArgumentNullException>(Ctor, "vectorParameters null", "vectorParameters", ["vectorParameters"], w => _ = new NetworkLayout("M", ["c"], null!, [], false, [0], false));
        yield return Row<ArgumentNullException>(Ctor, "particleChannels null", "particleChannels", ["particleChannels"], w => _ = new NetworkLayout("M", ["c"], ["w"], null!, false, [0], false));
        yield return Row<ArgumentNullException>(Ctor, "pairChannels null", "pairChannels", ["pairChannels"], w => _ = new NetworkLayout("M", ["c"], ["w"], [], false, null!, false));
        yield return Row<ArgumentOutOfRangeException>(Ctor, "particle channel names vector 1 of 1", "particleChannels", ["does not exist", "ParticleChannel { First = 0, Second = 1 }"], w => _ = new NetworkLayout("M", ["c"], ["w"], [new ParticleChannel(0, 1)], false, [0], false));
        yield return Row<ArgumentOutOfRangeException>(Ctor, "pair channel names vector 1 of 1", "pairChannels", ["does not exist", "1"], w => _ = new NetworkLayout("M", ["c"], ["w"], [], false, [1], false));
        yield return Row<ArgumentOutOfRangeException>(Ctor, "pair channel -1", "pairChannels", ["does not exist", "-1"], w => _ = new NetworkLayout("M", ["c"], ["w"], [], false, [-1], false));
    }

    private static IEnumerable<BadInputRow> InteractionLayoutRows()
    {
        const string Ctor = "InteractionLayout..ctor(String, String[], String[], ParticleChannel[], PairChannel[], Boolean, Boolean, Int32)";
        PairChannel dot = new(0, 0, PairChannelKind.Dot);
        yield return Row<ArgumentNullException>(Ctor, "modelName null", "modelName", ["modelName"], w => _ = new InteractionLayout(null!, ["c"], ["w"], [], [dot], false, false));
        yield return Row<ArgumentNullException>(Ctor, "scalarParameters null", "scalarParameters", ["scalarParameters"], w => _ = new InteractionLayout("M", null!, ["w"], [], [dot], false, false));
        yield return Row<ArgumentNullException>(Ctor, "vectorParameters null", "vectorParameters", ["vectorParameters"], w => _ = new InteractionLayout("M", ["c"], null!, [], [dot], false, false));
        yield return Row<ArgumentNullException>(Ctor, "particleChannels null", "particleChannels", ["particleChannels"], w => _ = new InteractionLayout("M", ["c"], ["w"], null!, [dot], false, false));
        yield return Row<ArgumentNullException>(Ctor, "pairChannels null", "pairChannels", ["pairChannels"], w => _ = new InteractionLayout("M", ["c"], ["w"], [], null!, false, false));
        yield return Row<ArgumentOutOfRangeException>(Ctor, "particle channel names vector 1 of 1", "particleChannels", ["does not exist", "ParticleChannel { First = 0, Second = 1 }"], w => _ = new InteractionLayout("M", ["c"], ["w"], [new ParticleChannel(0, 1)], [dot], false, false));
        yield return Row<ArgumentOutOfRangeException>(Ctor, "pair channel reads vector 1 of 1 on side B", "pairChannels", ["does not exist", "Second = 1"], w => _ = new InteractionLayout("M", ["c"], ["w"], [], [new PairChannel(0, 1, PairChannelKind.Dot)], false, false));
        yield return Row<ArgumentOutOfRangeException>(Ctor, "pair channel -1 on side A", "pairChannels", ["does not exist", "First = -1"], w => _ = new InteractionLayout("M", ["c"], ["w"], [], [new PairChannel(-1, 0, PairChannelKind.SquaredDistance)], false, false));
        yield return Row<ArgumentOutOfRangeException>(Ctor, "side value count -1", "sideValueCount", ["sideValueCount", "-1"], w => _ = new InteractionLayout("M", ["c"], ["w"], [], [dot], false, false, -1));
        yield return Row<ArgumentOutOfRangeException>(Ctor, "pair channel of unknown kind 7", "pairChannels", ["unknown kind", "Kind = 7"], w => _ = new InteractionLayout("M", ["c"], ["w"], [], [new PairChannel(0, 0, (PairChannelKind)7)], false, false));
    }

    private static IEnumerable<BadInputRow> FormulaRows()
    {
        const string Formula = "DerivedFormula..ctor(String, String)";
        yield return Row<ArgumentNullException>(Formula, "quantity null", "Quantity", ["Quantity"], w => _ = new DerivedFormula(null!, "x"));
        yield return Row<ArgumentNullException>(Formula, "formula null", "Formula", ["Formula"], w => _ = new DerivedFormula("φ", null!));
        yield return Row<ArgumentNullException>("DerivedFormula.set_Quantity(String)", "with { Quantity = null }", "Quantity", ["Quantity"], w => _ = new DerivedFormula("φ", "x") with { Quantity = null! });
        yield return Row<ArgumentNullException>("DerivedFormula.set_Formula(String)", "with { Formula = null }", "Formula", ["Formula"], w => _ = new DerivedFormula("φ", "x") with { Formula = null! });

        const string Formulas = "DerivedFormulas..ctor(String, IEnumerable<DerivedFormula>)";
        yield return Row<ArgumentNullException>(Formulas, "modelName null", "modelName", ["modelName"], w => _ = new DerivedFormulas(null!, [new("φ", "x")]));
        yield return Row<ArgumentException>(Formulas, "modelName blank", "modelName", ["modelName"], w => _ = new DerivedFormulas("  ", [new("φ", "x")]));
        yield return Row<ArgumentNullException>(Formulas, "formulas null", "formulas", ["formulas"], w => _ = new DerivedFormulas("M", null!));
        yield return Row<ArgumentException>(Formulas, "no formulas", "formulas", ["M has no formulas"], w => _ = new DerivedFormulas("M", []));
        yield return Row<ArgumentException>(Formulas, "a quantity twice", "formulas", ["lists the quantity 'φ' twice"], w => _ = new DerivedFormulas("M", [new("φ", "x"), new("φ", "y")]));
        yield return Row<ArgumentNullException>(Formulas, "a null formula", "formulas", ["formulas"], w => _ = new DerivedFormulas("M", [new("φ", "x"), null!]));

        var formulas = new DerivedFormulas("M", [new("φ", "x"), new("∂φ/∂x", "1")]);
        yield return Row<ArgumentOutOfRangeException>("DerivedFormulas.get_Item(Int32)", "index -1", "index", ["M has 2 formulas", "-1"], w => _ = formulas[-1]);
        yield return Row<ArgumentOutOfRangeException>("DerivedFormulas.get_Item(Int32)", "index 2 (= Count)", "index", ["M has 2 formulas", "2"], w => _ = formulas[2]);
        yield return Row<ArgumentNullException>("DerivedFormulas.get_Item(String)", "quantity null", "quantity", ["quantity"], w => _ = formulas[null!]);
        yield return Row<KeyNotFoundException>("DerivedFormulas.get_Item(String)", "unknown quantity", null, ["no derived quantity '∂φ/∂q'", "it has: φ, ∂φ/∂x"], w => _ = formulas["∂φ/∂q"]);
        yield return Row<ArgumentNullException>("DerivedFormulas.TryGetFormula(String, out String)", "quantity null", "quantity", ["quantity"], w => formulas.TryGetFormula(null!, out _));
    }

    private static IEnumerable<BadInputRow> ChannelRows()
    {
        yield return Row<ArgumentException>("Channels.Dot(ReadOnlySpan<Double>, ReadOnlySpan<Double>)", "lengths 3 and 2", "b", ["got 3 and 2"], w => Channels.Dot(X, [1.0, 2.0]));
        yield return Row<ArgumentException>("Channels.SquaredDistance(ReadOnlySpan<Double>, ReadOnlySpan<Double>)", "lengths 3 and 4", "b", ["got 3 and 4"], w => Channels.SquaredDistance(X, [1.0, 2.0, 3.0, 4.0]));
        yield return Row<ArgumentNullException>("Channels.Sum(ReadOnlySpan<Double>, Func<Double, Double>)", "term null", "term", ["term"], w => Channels.Sum(X, null!));
        yield return Row<ArgumentNullException>("Channels.Sum(ReadOnlySpan<Double>, ReadOnlySpan<Double>, Func<Double, Double, Double>)", "term null", "term", ["term"], w => Channels.Sum(X, X, null!));
        yield return Row<ArgumentException>("Channels.Sum(ReadOnlySpan<Double>, ReadOnlySpan<Double>, Func<Double, Double, Double>)", "lengths 3 and 2", "b", ["got 3 and 2"], w => Channels.Sum(X, [1.0, 2.0], (a, b) => a * b));
    }
}
