namespace MeanField.Dgm;

/// <summary>
/// A network u_θ: ℝ^d (× time) → ℝ whose forward pass over a batch propagates, per point, the value, ∇ₓu, ∂u/∂t (with
/// time) and Δₓu without a tape, and whose reverse pass turns per-point adjoints of those into ∂L/∂θ analytically
/// (specs/dgm.md §2–§3, specs/dgm-gated.md), so that a trainer can use either architecture.
/// </summary>
internal interface ILaplacianNetwork
{
    /// <summary>d, the number of space coordinates.</summary>
    int Dimension { get; }

    /// <summary>Units per hidden layer.</summary>
    int Width { get; }

    /// <summary>Hidden layers.</summary>
    int Depth { get; }

    /// <summary>The input embedding.</summary>
    InputEmbedding Embedding { get; }

    /// <summary>Whether t is an input.</summary>
    bool HasTime { get; }

    /// <summary>Features of the embedding: 2d (periodic) or d (plain), plus 1 with time.</summary>
    int Features { get; }

    /// <summary>R, the number of weighted Laplacians Σ_k C_rk ∂²u/∂x_k² the forward pass carries (specs/dgm.md §5.1; 0 for the gated architecture).</summary>
    int WeightedLaplacians { get; }

    /// <summary>The number of parameters.</summary>
    int ParameterCount { get; }

    /// <summary>The parameters, writable in place (an optimiser steps them).</summary>
    Span<double> Parameters { get; }

    /// <summary>The number of points of the last <see cref="Forward"/>.</summary>
    int Points { get; }

    /// <summary>The value, ∇ₓu, Δₓu and (with time) ∂u/∂t at every point of a batch, keeping what <see cref="Backward"/> needs.</summary>
    /// <param name="points">n × d, row-major.</param>
    /// <param name="times">n times when <see cref="HasTime"/>, else empty.</param>
    /// <param name="value">Receives u at the n points.</param>
    /// <param name="gradient">Receives ∇ₓu, d × n (component-major: component k of every point, then k + 1).</param>
    /// <param name="laplacian">Receives Δₓu at the n points.</param>
    /// <param name="timeDerivative">Receives ∂u/∂t at the n points when <see cref="HasTime"/>, else empty.</param>
    /// <param name="weightedLaplacians">Receives the <see cref="WeightedLaplacians"/> weighted Laplacians, R × n (component-major); empty when R = 0.</param>
    void Forward(ReadOnlySpan<double> points, ReadOnlySpan<double> times, Span<double> value, Span<double> gradient, Span<double> laplacian, Span<double> timeDerivative, Span<double> weightedLaplacians = default);

    /// <summary>
    /// u alone at every point of a set of any size, for read-outs (specs/dgm.md §2.5). The MLP runs the value channel
    /// only (the same bits as <see cref="Forward"/>'s value) and keeps what <see cref="Backward"/> needs; the gated
    /// network runs its whole forward pass, batch by batch. Either way, call <see cref="Forward"/> again before
    /// <see cref="Backward"/>.
    /// </summary>
    /// <param name="points">n × d, row-major.</param>
    /// <param name="times">n times when <see cref="HasTime"/>, else empty.</param>
    /// <param name="value">Receives u at the n points.</param>
    void ForwardValues(ReadOnlySpan<double> points, ReadOnlySpan<double> times, Span<double> value);

    /// <summary>∂L/∂θ for a loss L whose per-point adjoints at the last <see cref="Forward"/> batch are given.</summary>
    /// <param name="valueAdjoint">∂L/∂u at the n points.</param>
    /// <param name="gradientAdjoint">∂L/∂(∇u)_k, d × n (component-major).</param>
    /// <param name="laplacianAdjoint">∂L/∂Δu at the n points.</param>
    /// <param name="timeDerivativeAdjoint">∂L/∂(∂u/∂t) at the n points when <see cref="HasTime"/>, else empty.</param>
    /// <param name="parameterGradient">Receives ∂L/∂θ, <see cref="ParameterCount"/> values (overwritten).</param>
    /// <param name="weightedLaplacianAdjoint">∂L/∂ of the weighted Laplacians, R × n (component-major); empty when R = 0.</param>
    void Backward(ReadOnlySpan<double> valueAdjoint, ReadOnlySpan<double> gradientAdjoint, ReadOnlySpan<double> laplacianAdjoint, ReadOnlySpan<double> timeDerivativeAdjoint, Span<double> parameterGradient, ReadOnlySpan<double> weightedLaplacianAdjoint = default);
}
