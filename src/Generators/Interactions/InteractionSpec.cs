using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Interactions;

/// <summary>
/// Everything the emitter needs to write one interaction model, as equatable data: the shared <see cref="ModelSpec"/>
/// (names and input layout) and the interaction's formulas. <see cref="Kernel"/> is over all of the layout's symbols;
/// <see cref="Potential"/> and <see cref="Confinement"/> over the first S + Q.
/// </summary>
internal sealed record InteractionSpec(
    string Namespace,
    string TypeName,
    string TypeKeyword,
    InputLayout Layout,
    string KernelName,
    Expr Kernel,
    Expr? Potential,
    Expr? Confinement) : ModelSpec(Namespace, TypeName, TypeKeyword, Layout);
