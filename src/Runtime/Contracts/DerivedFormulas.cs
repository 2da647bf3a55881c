using System.Collections;

namespace MeanField;

/// <summary>One quantity the generator derived, such as <c>∂φ/∂w</c>, and its formula in readable notation.</summary>
/// <param name="Quantity">The quantity as the generated file's header names it: <c>φ</c>, <c>∂φ/∂c</c>, <c>∂φ/∂x</c>,
/// <c>ℓ(y, ŷ)</c>, <c>∂ℓ/∂ŷ</c>, <c>U</c>, <c>∂U/∂c</c>, ….</param>
/// <param name="Formula">The right-hand side, e.g. <c>c·(1 − tanh(b + w·x)²)</c>.</param>
public sealed record DerivedFormula(string Quantity, string Formula)
{
    /// <summary>The quantity, e.g. <c>∂φ/∂w</c> (not null).</summary>
    public string Quantity { get; init => field = value ?? throw new ArgumentNullException(nameof(Quantity)); } = Quantity ?? throw new ArgumentNullException(nameof(Quantity));

    /// <summary>The right-hand side (not null).</summary>
    public string Formula { get; init => field = value ?? throw new ArgumentNullException(nameof(Formula)); } = Formula ?? throw new ArgumentNullException(nameof(Formula));

    /// <summary><c>Quantity = Formula</c>, the line of the generated file's header.</summary>
    public override string ToString() => Quantity + " = " + Formula;
}

/// <summary>
/// The formulas the generator derived for a model, one per quantity, in the order of its <c>Derivation</c> text:
/// the unit φ, its derivative in each scalar and vector parameter and in the input, the cost ℓ and ∂ℓ/∂ŷ, and, with a
/// regularizer, U and its derivatives. Look one up by the quantity's name: <c>TanhNetwork.Formulas["∂φ/∂w"]</c>.
/// </summary>
public sealed class DerivedFormulas : IReadOnlyList<DerivedFormula>
{
    private readonly DerivedFormula[] _formulas;
    private readonly Dictionary<string, string> _byQuantity;

    /// <summary>Formulas of <paramref name="modelName"/>; quantities must be distinct.</summary>
    /// <exception cref="ArgumentException">No formulas, or a quantity given twice.</exception>
    public DerivedFormulas(string modelName, IEnumerable<DerivedFormula> formulas)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        ArgumentNullException.ThrowIfNull(formulas);
        ModelName = modelName;
        _formulas = formulas.ToArray();
        if (_formulas.Length == 0)
        {
            throw new ArgumentException($"{modelName} has no formulas.", nameof(formulas));
        }

        _byQuantity = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var formula in _formulas)
        {
            ArgumentNullException.ThrowIfNull(formula, nameof(formulas));
            if (!_byQuantity.TryAdd(formula.Quantity, formula.Formula))
            {
                throw new ArgumentException($"{modelName} lists the quantity '{formula.Quantity}' twice.", nameof(formulas));
            }
        }
    }

    /// <summary>The model the formulas belong to.</summary>
    public string ModelName { get; }

    /// <summary>The quantities, in order.</summary>
    public IEnumerable<string> Quantities => _formulas.Select(f => f.Quantity);

    /// <inheritdoc/>
    public int Count => _formulas.Length;

    /// <summary>The formula at <paramref name="index"/>, in the order of the derivation text.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="Count"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0 … Count − 1.</exception>
    public DerivedFormula this[int index] => (uint)index < (uint)_formulas.Length
        ? _formulas[index]
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"{ModelName} has {_formulas.Length} formulas (indices 0 … {_formulas.Length - 1}).");

    /// <summary>The formula of <paramref name="quantity"/>, e.g. <c>"∂φ/∂w"</c>.</summary>
    /// <exception cref="KeyNotFoundException">The model has no such quantity; the message lists the ones it has.</exception>
    public string this[string quantity]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(quantity);
            return _byQuantity.TryGetValue(quantity, out var formula)
                ? formula
                : throw new KeyNotFoundException($"{ModelName} has no derived quantity '{quantity}'; it has: {string.Join(", ", Quantities)}.");
        }
    }

    /// <summary>Whether the model has <paramref name="quantity"/>; if so, its formula.</summary>
    public bool TryGetFormula(string quantity, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? formula)
    {
        ArgumentNullException.ThrowIfNull(quantity);
        return _byQuantity.TryGetValue(quantity, out formula);
    }

    /// <inheritdoc/>
    public IEnumerator<DerivedFormula> GetEnumerator() => ((IEnumerable<DerivedFormula>)_formulas).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One <c>Quantity = Formula</c> line per formula.</summary>
    public override string ToString() => string.Join("\n", _formulas.Select(f => f.ToString()));
}
