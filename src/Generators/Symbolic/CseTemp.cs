namespace MeanField.Generators.Symbolic;

/// <summary>One temporary of a <see cref="CseProgram"/>: <c>t{Index} = Value</c>.</summary>
/// <param name="Index">The temporary's number; it prints as <c>t{Index}</c>.</param>
/// <param name="Value">Its value, over symbols, constants and temporaries with a smaller index.</param>
public readonly record struct CseTemp(int Index, Expr Value);
