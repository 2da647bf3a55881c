namespace MeanField;

/// <summary>
/// Thrown by a PDE solver's Newton method when it stops without meeting its tolerance (iteration limit, no step the
/// line search accepts, a singular Jacobian, a non-finite residual). Nothing is lost: <see cref="LastIterate"/> holds
/// the last accepted iterate with its residual history (an <see cref="ErgodicSolution"/> or a
/// <see cref="FiniteHorizonSolution"/>).
/// </summary>
public sealed class NewtonConvergenceException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public NewtonConvergenceException()
        : this("Newton's method did not converge.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public NewtonConvergenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NewtonConvergenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message and the last iterate.</summary>
    /// <param name="message">Why Newton stopped.</param>
    /// <param name="lastIterate">The last accepted iterate.</param>
    public NewtonConvergenceException(string message, NewtonSolution lastIterate)
        : base(message)
    {
        LastIterate = lastIterate;
    }

    /// <summary>The last accepted iterate (null only for the message-only constructors).</summary>
    public NewtonSolution? LastIterate { get; }
}
