namespace MeanField.Runtime.Tests.Generated;

// Issue 7, kink convention through composition (specs/networks.md §5): d/dz f(max(z, 0)) is exactly 0 for z < 0 for
// every supported f, including those whose derivative is singular at 0 (sqrt, pow with exponent < 1, log, acos,
// division), and agrees with central finite differences where f(max(z, 0)) is smooth (z > 0). The models are
// compiled through the real generator, and the generated scalar operators are what is evaluated.

/// <summary>σ(z) = Math.Exp(max(z, 0)).</summary>
[MeanFieldNetwork]
public partial struct KinkExpNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Exp(U(z));

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = Math.Log(max(z, 0)).</summary>
[MeanFieldNetwork]
public partial struct KinkLogNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Log(U(z));

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = Math.Sqrt(max(z, 0)).</summary>
[MeanFieldNetwork]
public partial struct KinkSqrtNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Sqrt(U(z));

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = Math.Tanh(max(z, 0)).</summary>
[MeanFieldNetwork]
public partial struct KinkTanhNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Tanh(U(z));

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = Math.Sin(max(z, 0)).</summary>
[MeanFieldNetwork]
public partial struct KinkSinNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Sin(U(z));

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = Math.Cos(max(z, 0)).</summary>
[MeanFieldNetwork]
public partial struct KinkCosNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Cos(U(z));

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = Math.Abs(max(z, 0)).</summary>
[MeanFieldNetwork]
public partial struct KinkAbsNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Abs(U(z));

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = Math.Acos(max(z, 0)).</summary>
[MeanFieldNetwork]
public partial struct KinkAcosNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Acos(U(z));

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = Math.Atan(max(z, 0)).</summary>
[MeanFieldNetwork]
public partial struct KinkAtanNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Atan(U(z));

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = Math.Pow(max(z, 0), 0.5).</summary>
[MeanFieldNetwork]
public partial struct KinkPowHalfNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Pow(U(z), 0.5);

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = Math.Pow(max(z, 0), 0.3).</summary>
[MeanFieldNetwork]
public partial struct KinkPowThirdNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Pow(U(z), 0.3);

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = Math.Pow(max(z, 0), 1.5).</summary>
[MeanFieldNetwork]
public partial struct KinkPowThreeHalvesNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Pow(U(z), 1.5);

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = Math.Pow(max(z, 0), 2).</summary>
[MeanFieldNetwork]
public partial struct KinkSquareNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Pow(U(z), 2);

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = Math.Pow(max(z, 0), 1 + z * z).</summary>
[MeanFieldNetwork]
public partial struct KinkPowVariableNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Pow(U(z), 1 + z * z);

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = 1 / max(z, 0).</summary>
[MeanFieldNetwork]
public partial struct KinkReciprocalNetwork
{
    [Activation]
    public static double Sigma(double z) => 1 / U(z);

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = max(z, 0) * Math.Sqrt(max(z, 0)).</summary>
[MeanFieldNetwork]
public partial struct KinkProductNetwork
{
    [Activation]
    public static double Sigma(double z) => U(z) * Math.Sqrt(U(z));

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = Math.Sqrt(-Math.Min(-z, 0)).</summary>
[MeanFieldNetwork]
public partial struct KinkMinSqrtNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Sqrt(-Math.Min(-z, 0));

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>σ(z) = Math.Log(z > 0 ? z : 0).</summary>
[MeanFieldNetwork]
public partial struct KinkSelectLogNetwork
{
    [Activation]
    public static double Sigma(double z) => Math.Log(z > 0 ? z : 0);

    public static double U(double t) => Math.Max(t, 0);

    [Cost]
    public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
}

/// <summary>Evaluates the generated ∂φ/∂b of the kinked activations above.</summary>
public sealed class KinkCompositionTests
{
    private static readonly string[] Names =
    {
        "Exp",
        "Log",
        "Sqrt",
        "Tanh",
        "Sin",
        "Cos",
        "Abs",
        "Acos",
        "Atan",
        "PowHalf",
        "PowThird",
        "PowThreeHalves",
        "Square",
        "PowVariable",
        "Reciprocal",
        "Product",
        "MinSqrt",
        "SelectLog",
    };

    public static IEnumerable<object[]> Models => Names.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Models))]
    public void DerivativeIsExactlyZeroWhereTheArgumentIsClampedAndMatchesFiniteDifferencesElsewhere(string name)
    {
        Action<string> check = name switch
        {
            "Exp" => Check<KinkExpNetwork>,
            "Log" => Check<KinkLogNetwork>,
            "Sqrt" => Check<KinkSqrtNetwork>,
            "Tanh" => Check<KinkTanhNetwork>,
            "Sin" => Check<KinkSinNetwork>,
            "Cos" => Check<KinkCosNetwork>,
            "Abs" => Check<KinkAbsNetwork>,
            "Acos" => Check<KinkAcosNetwork>,
            "Atan" => Check<KinkAtanNetwork>,
            "PowHalf" => Check<KinkPowHalfNetwork>,
            "PowThird" => Check<KinkPowThirdNetwork>,
            "PowThreeHalves" => Check<KinkPowThreeHalvesNetwork>,
            "Square" => Check<KinkSquareNetwork>,
            "PowVariable" => Check<KinkPowVariableNetwork>,
            "Reciprocal" => Check<KinkReciprocalNetwork>,
            "Product" => Check<KinkProductNetwork>,
            "MinSqrt" => Check<KinkMinSqrtNetwork>,
            "SelectLog" => Check<KinkSelectLogNetwork>,
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        check(name);
    }

    /// <summary>
    /// For an activation model the generated inputs are (c, b, w·x) and φ = c·σ(w·x + b), so with c = 1, w·x = 0 the
    /// gradient's component 1 is σ'(b). Clamped side: σ is constant there, so σ' must be exactly 0 (not NaN, not
    /// −0·∞). Smooth side: central difference with h = 1e-6·max(1, |z|), whose error is about h²/6·|σ‴| + eps·|σ|/h
    /// ≈ 1e-10 relative for these moderate values; we accept 1e-6·(1 + |σ'| + |σ|), far above that error and far
    /// below a wrong rule (off by O(1)).
    /// </summary>
    private static void Check<TModel>(string name) where TModel : struct, INetworkModel<TModel>
    {
        foreach (double z in new[] { -3.0, -1.0, -0.5, -1e-9, -1e-300 })
        {
            double d = Slope<TModel>(z);
            Assert.True(d == 0.0, $"{name}: σ'({z:R}) = {d:R}, expected exactly 0 on the clamped side");
        }

        double[] smooth = name == "Acos" ? new[] { 0.2, 0.5, 0.8 } : new[] { 0.3, 0.7, 1.3, 2.5 };
        foreach (double z in smooth)
        {
            double h = 1e-6 * Math.Max(1.0, Math.Abs(z));
            double fd = (Value<TModel>(z + h) - Value<TModel>(z - h)) / (2 * h);
            double d = Slope<TModel>(z);
            double tolerance = 1e-6 * (1 + Math.Abs(d) + Math.Abs(Value<TModel>(z)));
            Assert.True(double.IsFinite(d), $"{name}: σ'({z:R}) = {d:R} is not finite");
            Assert.True(Math.Abs(d - fd) <= tolerance, $"{name}: σ'({z:R}) = {d:R}, finite difference {fd:R}");
        }
    }

    private static double Value<TModel>(double z) where TModel : struct, INetworkModel<TModel>
        => TModel.Unit((ReadOnlySpan<double>)new[] { 1.0, z, 0.0 });

    private static double Slope<TModel>(double z) where TModel : struct, INetworkModel<TModel>
    {
        var gradient = new double[3];
        TModel.UnitGradient((ReadOnlySpan<double>)new[] { 1.0, z, 0.0 }, (Span<double>)gradient);
        return gradient[1];
    }
}
