namespace MeanField.Dgm;

/// <summary>How a <see cref="LaplacianNetwork"/> turns a point x ∈ ℝ^d into the features of its first layer (specs/dgm.md §2).</summary>
internal enum InputEmbedding
{
    /// <summary>
    /// (sin 2πx_0, cos 2πx_0, sin 2πx_1, cos 2πx_1, …): 2d features, so the network is exactly 1-periodic in every x_k
    /// (a function on the torus 𝕋^d). ∂/∂x_k touches only the two features of x_k, and Δe = −4π² e.
    /// </summary>
    Periodic = 0,

    /// <summary>The identity: d features x_0 … x_{d−1} (non-periodic problems, e.g. the warm-up ODE). ∇e = I, Δe = 0.</summary>
    Plain = 1,
}
