namespace MeanField;

/// <summary>
/// The pointwise residuals of a mean-field game's PDE system at one point, for mesh-free solvers (the Deep Galerkin
/// Method trains a network to make them vanish at sampled points; specs/mfg.md §9.2). The MeanField generator
/// implements it, together with <see cref="IGameModel{TSelf}"/>, for every declared game.
/// </summary>
/// <remarks>
/// <para>Inputs, in this order (<see cref="PointInputCount"/> = 5d + 5 of them): x_0 … x_{d−1}; u, ∂u/∂x_0 … ∂u/∂x_{d−1},
/// ∂²u/∂x_0² … ∂²u/∂x_{d−1}² (the diagonal of the Hessian: the game's H is separable in p, so no mixed derivative
/// enters); m, ∂m/∂x_0 …, ∂²m/∂x_0² …; ∂u/∂t, ∂m/∂t; λ.</para>
/// <para>Residuals: R_HJB = −∂u/∂t − ν Δu + H(x, ∇u, m) + λ and R_FP = ∂m/∂t − ν Δm − div(m ∂ₚH(x, ∇u, m)), the
/// divergence expanded by the chain rule: Σ_k [∂m/∂x_k ∂H/∂p_k + m (∂²H/∂p_k∂x_k + ∂²H/∂p_k² ∂²u/∂x_k² +
/// ∂²H/∂p_k∂m ∂m/∂x_k)]. The ergodic system is ∂u/∂t = ∂m/∂t = 0; the finite-horizon one λ = 0.</para>
/// </remarks>
/// <typeparam name="TSelf">The game type itself.</typeparam>
public interface IGameResiduals<TSelf> where TSelf : struct, IGameResiduals<TSelf>
{
    /// <summary>The number of inputs of <see cref="PointResiduals"/>: 5d + 5.</summary>
    static abstract int PointInputCount { get; }

    /// <summary>
    /// R_HJB and R_FP at one point into <paramref name="residuals"/> (2 values) and their derivatives in every input into
    /// <paramref name="jacobian"/> (2 × <see cref="PointInputCount"/>, row-major; the HJB row first).
    /// </summary>
    /// <param name="inputs">The point's inputs, in the order of the remarks.</param>
    /// <param name="residuals">Receives (R_HJB, R_FP).</param>
    /// <param name="jacobian">Receives ∂R/∂(every input), 2 rows.</param>
    static abstract void PointResiduals(ReadOnlySpan<double> inputs, Span<double> residuals, Span<double> jacobian);
}
