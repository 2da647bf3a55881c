namespace MeanField.Dgm;

/// <summary>The networks a Deep Galerkin trainer uses for u and v (specs/dgm.md §2, specs/dgm-gated.md).</summary>
public enum DgmArchitecture
{
    /// <summary>A tanh multilayer perceptron (<c>LaplacianNetwork</c>).</summary>
    Mlp = 0,

    /// <summary>The DGM layer of Sirignano–Spiliopoulos 2018: Z, G, R, H gates (<c>GatedLaplacianNetwork</c>; about 6× the MLP's work at the same width).</summary>
    Gated = 1,
}
