namespace MeanField;

/// <summary>Why a <see cref="GradientFlow{TModel}.Run"/> stopped.</summary>
public enum GradientFlowStopReason
{
    /// <summary>The loss met <see cref="GradientFlowOptions.Tolerance"/> or <see cref="GradientFlowOptions.AbsoluteTolerance"/>.</summary>
    Converged,

    /// <summary><see cref="GradientFlowOptions.MaxSteps"/> steps were taken.</summary>
    MaxSteps,

    /// <summary>The loss or a particle became NaN/∞; the particles hold the last finite state.</summary>
    Diverged,

    /// <summary>The cancellation token passed to <see cref="GradientFlow{TModel}.Run"/> was cancelled; the particles hold the state after the last full step.</summary>
    Cancelled,
}

/// <summary>The energy L(μ_k) after <paramref name="Step"/> Euler steps.</summary>
/// <param name="Step">k, the number of steps taken since the flow was created.</param>
/// <param name="Loss">L(μ_k), the energy including the regularizer term.</param>
public readonly record struct GradientFlowProgress(int Step, double Loss);

/// <summary>The outcome of <see cref="GradientFlow{TModel}.Run"/>.</summary>
/// <param name="StepsTaken">Euler steps this run kept (a step undone after divergence is not counted).</param>
/// <param name="FinalLoss">The energy at the particles as left by the run (the last finite state when diverged).</param>
/// <param name="Reason">Why the run stopped.</param>
/// <param name="DivergedAtStep">When <paramref name="Reason"/> is Diverged: the step (counted since the flow was created) that produced a non-finite state; otherwise null.</param>
public sealed record GradientFlowResult(int StepsTaken, double FinalLoss, GradientFlowStopReason Reason, int? DivergedAtStep);
