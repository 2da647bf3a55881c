namespace MeanField;

/// <summary>
/// Thrown by <see cref="GradientFlow{TModel}.Step"/> (and <see cref="ParticleDynamics.Step"/> of <see cref="MeanFieldLangevin"/> and <see cref="BirthDeathDynamics"/>)
/// when the energy, a particle or a weight became NaN/∞. The particles have been restored to the last finite state, the
/// one after step <see cref="Step"/> − 1.
/// </summary>
public sealed class DivergenceException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public DivergenceException()
        : this("The gradient flow diverged.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public DivergenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DivergenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a divergence at <paramref name="step"/>.</summary>
    /// <param name="step">The step (counted since the flow was created) that produced a non-finite state.</param>
    /// <param name="lastFiniteLoss">The energy of the restored state (NaN if unknown).</param>
    public DivergenceException(int step, double lastFiniteLoss)
        : base($"The gradient flow diverged at step {step} (loss or particles became NaN/∞); the particles were restored to the state after step {step - 1} (loss {lastFiniteLoss}). Try a smaller StepSize.")
    {
        Step = step;
        LastFiniteLoss = lastFiniteLoss;
    }

    /// <summary>The step (counted since the flow was created) that produced a non-finite state.</summary>
    public int Step { get; }

    /// <summary>The energy of the restored state (NaN if unknown).</summary>
    public double LastFiniteLoss { get; } = double.NaN;
}
