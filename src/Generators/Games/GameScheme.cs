using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Games;

/// <summary>
/// The mathematics between a game's declared Hamiltonian (or Lagrangian) and the generated numerical Hamiltonian, on
/// the symbolic IR alone (no Roslyn): the Legendre transform of a quadratic Lagrangian, the checks the upwind scheme
/// needs (separable and convex in p), the minimiser p* of H in each component of p, and the Engquist–Osher numerical
/// Hamiltonian Ĥ(x, p⁻, p⁺, m) = H(p*) + Σ_k [h_k(max(p⁻_k, p*_k)) − h_k(p*_k)] + [h_k(min(p⁺_k, p*_k)) − h_k(p*_k)],
/// with h_k(a) = H with p_k = a and the other components at p* (specs/mfg.md §3).
/// </summary>
/// <remarks>
/// Each check returns null when it holds and otherwise the reason, in words, for the front end's diagnostic.
/// Convexity is proved where ∂²H/∂p_k² simplifies to a constant and otherwise tested at sample points
/// (<see cref="SamplePoints"/>): a Hamiltonian that is concave somewhere is reported with the point, never turned into
/// a scheme that is not monotone.
/// </remarks>
internal static class GameScheme
{
    /// <summary>The sample values of each position coordinate (the torus [0, 1)).</summary>
    private static readonly double[] PositionSamples = { 0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875 };

    /// <summary>The sample values of each component of p (or v).</summary>
    private static readonly double[] GradientSamples = { -10, -2, -0.5, 0, 0.5, 2, 10 };

    /// <summary>The sample values of the density m (positive).</summary>
    private static readonly double[] DensitySamples = { 0.01, 0.5, 1, 4 };

    /// <summary>
    /// The Legendre transform H(x, p, m) = sup_v [−p·v − L(x, v, m)] of a Lagrangian quadratic and convex in each v_k
    /// with no cross terms: L = c + Σ_k (b_k v_k + ½ a_k v_k²) gives H = Σ_k (p_k + b_k)² / (2 a_k) − c, attained at
    /// v_k = −(p_k + b_k) / a_k. Null with <paramref name="problem"/> set when L is not of that form.
    /// </summary>
    public static Expr? Legendre(Expr lagrangian, IReadOnlyList<string> v, IReadOnlyList<string> p, IReadOnlyList<string> x, string m, out string? problem)
    {
        problem = Separable(lagrangian, v, "L");
        if (problem is not null)
        {
            return null;
        }

        var atRest = lagrangian.Substitute(s => v.Contains(s) ? Expr.Zero : null);
        Expr h = -atRest;
        for (int k = 0; k < v.Count; k++)
        {
            var first = Differentiation.Derivative(lagrangian, v[k]);
            var second = Differentiation.Derivative(first, v[k]);
            var third = Differentiation.Derivative(second, v[k]);
            if (!IsZero(third))
            {
                problem = $"L is not quadratic in {v[k]} (∂³L/∂{v[k]}³ = {third} is not 0); the generator derives H only from a Lagrangian quadratic in the velocity: declare the [Hamiltonian] instead";
                return null;
            }

            problem = Positive(second, x, v, m, $"∂²L/∂{v[k]}²", "L must be strictly convex in the velocity");
            if (problem is not null)
            {
                return null;
            }

            var b = first.Substitute(s => v.Contains(s) ? Expr.Zero : null);
            var shifted = Expr.Symbol(p[k]) + b;
            h += shifted * shifted / (Expr.Constant(2) * second);
        }

        return h;
    }

    /// <summary>Null when H has no mixed second derivative in the components of p (required for the upwind scheme in 2-D).</summary>
    public static string? Separable(Expr h, IReadOnlyList<string> p, string name = "H")
    {
        for (int j = 0; j < p.Count; j++)
        {
            for (int k = j + 1; k < p.Count; k++)
            {
                var mixed = Differentiation.Derivative(Differentiation.Derivative(h, p[j]), p[k]);
                if (!IsZero(mixed))
                {
                    return $"{name} is not separable in ({string.Join(", ", p)}): ∂²{name}/∂{p[j]}∂{p[k]} = {mixed} is not 0; the dimension-by-dimension upwind scheme needs {name} = Σ_k {name}_k({p[k]})";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The minimiser p*_k of H in each component of p: −(∂H/∂p_k at p = 0) / (∂²H/∂p_k²) when H is quadratic in p_k
    /// (0 when the first term vanishes), or 0 when H is not quadratic but ∂H/∂p_k vanishes at p_k = 0; otherwise null
    /// with <paramref name="problem"/> set. Also checks convexity (<see cref="Positive"/> on ∂²H/∂p_k²).
    /// </summary>
    public static Expr[]? Minimisers(Expr h, IReadOnlyList<string> x, IReadOnlyList<string> p, string m, out string? problem)
    {
        problem = null;
        var minimisers = new Expr[p.Count];
        for (int k = 0; k < p.Count; k++)
        {
            var first = Differentiation.Derivative(h, p[k]);
            var second = Differentiation.Derivative(first, p[k]);
            var third = Differentiation.Derivative(second, p[k]);
            var slopeAtZero = first.Substitute(s => p.Contains(s) ? Expr.Zero : null);
            if (IsZero(second))
            {
                problem = $"H is linear in {p[k]} (∂²H/∂{p[k]}² = 0): a game needs H strictly convex in p (a control cost)";
                return null;
            }

            if (IsZero(third))
            {
                problem = Positive(second, x, p, m, $"∂²H/∂{p[k]}²", "H must be convex in p");
                minimisers[k] = IsZero(slopeAtZero) ? Expr.Zero : -slopeAtZero / second;
            }
            else if (IsZero(slopeAtZero))
            {
                problem = NonNegative(second, x, p, m, $"∂²H/∂{p[k]}²", "H must be convex in p");
                minimisers[k] = Expr.Zero;
            }
            else
            {
                problem = $"the Engquist–Osher scheme needs the minimiser of H in {p[k]}; H is not quadratic in {p[k]} and ∂H/∂{p[k]} at {p[k]} = 0 is {slopeAtZero}, not 0. Write H so that its minimum in p is at p = 0, or quadratic in p";
            }

            if (problem is not null)
            {
                return null;
            }
        }

        return minimisers;
    }

    /// <summary>
    /// The Engquist–Osher numerical Hamiltonian over the symbols <paramref name="pMinus"/>, <paramref name="pPlus"/> (and
    /// H's own x and m): consistent (Ĥ(p, p) = H(p)), non-decreasing in each p⁻_k and non-increasing in each p⁺_k for H
    /// convex and separable in p.
    /// </summary>
    /// <remarks>
    /// Written without cancelling terms: H's top-level terms free of p (the source, the coupling) form V and are kept
    /// once; the rest K(p) enters through its increments h_k(a) − h_k(p*_k), which for K quadratic in p_k are exactly
    /// ½ ∂²K/∂p_k² (a − p*_k)² (∂K/∂p_k vanishes at p*), and otherwise K(a e_k) − K(0) (p* = 0). Ĥ = V + K(p*) + Σ_k
    /// [increment at max(p⁻_k, p*_k)] + [increment at min(p⁺_k, p*_k)].
    /// </remarks>
    public static Expr NumericalHamiltonian(Expr h, IReadOnlyList<string> p, IReadOnlyList<Expr> minimisers, IReadOnlyList<string> pMinus, IReadOnlyList<string> pPlus)
    {
        var index = p.Select((name, k) => (name, k)).ToDictionary(t => t.name, t => t.k, StringComparer.Ordinal);
        var terms = Dag.SumTerms(h);
        // Each part as (its positive terms) − (its negative terms): no negated term inside a sum, so the derivation reads
        // "a − b", never "a + −b".
        Expr freePlus = Expr.Zero, freeMinus = Expr.Zero, kineticPlus = Expr.Zero, kineticMinus = Expr.Zero;
        foreach (var (term, negative) in terms)
        {
            bool usesP = term.Symbols().Any(index.ContainsKey);
            if (usesP)
            {
                if (negative)
                {
                    kineticMinus += term;
                }
                else
                {
                    kineticPlus += term;
                }
            }
            else if (negative)
            {
                freeMinus += term;
            }
            else
            {
                freePlus += term;
            }
        }

        Expr free = freePlus - freeMinus, kinetic = kineticPlus - kineticMinus;
        var atMinimum = kinetic.Substitute(s => index.TryGetValue(s, out int k) ? minimisers[k] : null);
        var result = free + atMinimum;
        for (int k = 0; k < p.Count; k++)
        {
            var curvature = Differentiation.Derivative(Differentiation.Derivative(kinetic, p[k]), p[k]);
            bool quadratic = IsZero(Differentiation.Derivative(curvature, p[k]));
            int axis = k;
            Expr Increment(Expr value)
            {
                if (quadratic)
                {
                    var step = value - minimisers[axis];
                    return Expr.Constant(0.5) * curvature.Substitute(s => index.TryGetValue(s, out int j) ? minimisers[j] : null) * step * step;
                }

                return kinetic.Substitute(s => index.TryGetValue(s, out int j) ? (j == axis ? value : minimisers[j]) : null) - atMinimum;
            }

            result += Increment(Expr.Max(Expr.Symbol(pMinus[k]), minimisers[k]));
            result += Increment(Expr.Min(Expr.Symbol(pPlus[k]), minimisers[k]));
        }

        return result;
    }

    /// <summary>Whether <paramref name="e"/> simplifies to the constant 0.</summary>
    public static bool IsZero(Expr e) => e.IsConstant(out double value) && value == 0;

    /// <summary>
    /// The sample points of a check: every combination of the position, gradient and density samples over the given
    /// symbols (the position grid thinned to 4 values per axis in 2-D, so the count stays in the low thousands).
    /// </summary>
    public static IEnumerable<Dictionary<string, double>> SamplePoints(IReadOnlyList<string> x, IReadOnlyList<string> p, string m)
    {
        if (x.Count > 2 || p.Count > 2)
        {
            // More than two axes of each (an expression coupling many components, d > 2): a fixed pseudo-random subset
            // of the grid (the same every build), so the count stays bounded whatever the dimension.
            foreach (var point in RandomSamplePoints(x, p, m))
            {
                yield return point;
            }

            yield break;
        }

        var positions = x.Count > 1 ? PositionSamples.Where((_, i) => i % 2 == 0).ToArray() : PositionSamples;
        var axes = new List<(string Name, double[] Values)>();
        axes.AddRange(x.Select(name => (name, positions)));
        axes.AddRange(p.Select(name => (name, GradientSamples)));
        axes.Add((m, DensitySamples));
        var counters = new int[axes.Count];
        while (true)
        {
            var point = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int a = 0; a < axes.Count; a++)
            {
                point[axes[a].Name] = axes[a].Values[counters[a]];
            }

            yield return point;
            int carry = 0;
            while (carry < axes.Count && ++counters[carry] == axes[carry].Values.Length)
            {
                counters[carry++] = 0;
            }

            if (carry == axes.Count)
            {
                yield break;
            }
        }
    }

    /// <summary>The number of points <see cref="RandomSamplePoints"/> draws.</summary>
    private const int RandomSampleCount = 4096;

    /// <summary>
    /// <see cref="RandomSampleCount"/> points of the sample grid drawn by a fixed linear congruential sequence
    /// (deterministic: the generator's output may not depend on anything but the source).
    /// </summary>
    private static IEnumerable<Dictionary<string, double>> RandomSamplePoints(IReadOnlyList<string> x, IReadOnlyList<string> p, string m)
    {
        ulong state = 0x9E3779B97F4A7C15UL;
        int Next(int bound)
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            return (int)((state >> 33) % (ulong)bound);
        }

        for (int i = 0; i < RandomSampleCount; i++)
        {
            var point = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (string name in x)
            {
                point[name] = PositionSamples[Next(PositionSamples.Length)];
            }

            foreach (string name in p)
            {
                point[name] = GradientSamples[Next(GradientSamples.Length)];
            }

            point[m] = DensitySamples[Next(DensitySamples.Length)];
            yield return point;
        }
    }

    private static string? Positive(Expr e, IReadOnlyList<string> x, IReadOnlyList<string> p, string m, string name, string rule)
        => Sign(e, x, p, m, name, rule, strict: true);

    private static string? NonNegative(Expr e, IReadOnlyList<string> x, IReadOnlyList<string> p, string m, string name, string rule)
        => Sign(e, x, p, m, name, rule, strict: false);

    /// <summary>Null when <paramref name="e"/> is positive (or non-negative) at every sample point where it is finite.</summary>
    private static string? Sign(Expr e, IReadOnlyList<string> x, IReadOnlyList<string> p, string m, string name, string rule, bool strict)
    {
        if (e.IsConstant(out double constant))
        {
            return (strict ? constant > 0 : constant >= 0) ? null : $"{rule}: {name} = {Number(constant)}";
        }

        // Only the symbols e uses span the grid (∂²H/∂p_k² of a d = 30 game uses x_k, p_k, m, not all 61 symbols: the
        // full product would never finish).
        var used = new HashSet<string>(e.Symbols(), StringComparer.Ordinal);
        foreach (var point in SamplePoints(x.Where(used.Contains).ToArray(), p.Where(used.Contains).ToArray(), m))
        {
            double value = e.Evaluate(s => point.TryGetValue(s, out double v) ? v : 0.0);
            if (!double.IsNaN(value) && !double.IsInfinity(value) && (strict ? value <= 0 : value < 0))
            {
                string at = string.Join(", ", point.Select(kv => kv.Key + " = " + Number(kv.Value)));
                return $"{rule}: {name} = {e} is {Number(value)} at {at}";
            }
        }

        return null;
    }

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
