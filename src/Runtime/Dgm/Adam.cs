namespace MeanField.Dgm;

/// <summary>
/// Adam (Kingma–Ba 2015, Algorithm 1) with bias correction and an optional exponential learning-rate decay
/// (specs/dgm.md §4): at step t = 1, 2, …, with g the gradient,
/// m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − α_t (m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε), α_t = α γ^{t−1}
/// (the arrangement of PyTorch's <c>torch.optim.Adam</c> with <c>ExponentialLR</c>). Allocation-free per step.
/// </summary>
internal sealed class Adam
{
    private readonly double[] _first;
    private readonly double[] _second;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;
    private readonly double _decay;
    private readonly double _learningRate;
    private double _beta1Power = 1;
    private double _beta2Power = 1;

    /// <summary>An optimiser for <paramref name="count"/> parameters.</summary>
    /// <param name="count">The number of parameters, ≥ 1.</param>
    /// <param name="learningRate">α &gt; 0, the first step's learning rate.</param>
    /// <param name="decay">γ ∈ (0, 1], the learning rate's factor per step (1: constant).</param>
    /// <param name="beta1">β₁ ∈ [0, 1).</param>
    /// <param name="beta2">β₂ ∈ [0, 1).</param>
    /// <param name="epsilon">ε &gt; 0.</param>
    public Adam(int count, double learningRate, double decay = 1, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive and finite.");
        }

        if (!(decay > 0 && decay <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "The decay factor must be in (0, 1].");
        }

        if (!(beta1 >= 0 && beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must be in [0, 1).");
        }

        if (!(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must be in [0, 1).");
        }

        if (!(epsilon > 0) || double.IsInfinity(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive and finite.");
        }

        _first = new double[count];
        _second = new double[count];
        _learningRate = learningRate;
        _decay = decay;
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
        LearningRate = learningRate;
    }

    /// <summary>The number of steps taken.</summary>
    public int Steps { get; private set; }

    /// <summary>The learning rate of the next step, α γ^{<see cref="Steps"/>}.</summary>
    public double LearningRate { get; private set; }

    /// <summary>One step: <paramref name="parameters"/> updated in place from <paramref name="gradient"/>.</summary>
    /// <param name="parameters">θ, as many values as the optimiser was made for.</param>
    /// <param name="gradient">∂L/∂θ, as many values.</param>
    public void Step(Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        if (parameters.Length != _first.Length)
        {
            throw new ArgumentException($"parameters has {parameters.Length} values; expected {_first.Length}.", nameof(parameters));
        }

        if (gradient.Length != _first.Length)
        {
            throw new ArgumentException($"gradient has {gradient.Length} values; expected {_first.Length}.", nameof(gradient));
        }

        Steps++;
        _beta1Power *= _beta1;
        _beta2Power *= _beta2;
        double stepSize = LearningRate / (1 - _beta1Power), root = Math.Sqrt(1 - _beta2Power);
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i];
            double m = _first[i] = (_beta1 * _first[i]) + ((1 - _beta1) * g);
            double v = _second[i] = (_beta2 * _second[i]) + ((1 - _beta2) * g * g);
            parameters[i] -= stepSize * m / ((Math.Sqrt(v) / root) + _epsilon);
        }

        LearningRate = _learningRate * Math.Pow(_decay, Steps);
    }

    /// <summary>Doubles of <see cref="SaveState"/>: α, γ, β₁, β₂, ε, t, α_t, β₁ᵗ, β₂ᵗ, then m and v.</summary>
    public int StateLength => 9 + (2 * _first.Length);

    /// <summary>The whole state, bit for bit (a checkpoint; specs/dgm.md §5.3), including the settings a resume must match.</summary>
    public void SaveState(Span<double> state)
    {
        state[0] = _learningRate;
        state[1] = _decay;
        state[2] = _beta1;
        state[3] = _beta2;
        state[4] = _epsilon;
        state[5] = Steps;
        state[6] = LearningRate;
        state[7] = _beta1Power;
        state[8] = _beta2Power;
        _first.CopyTo(state[9..]);
        _second.CopyTo(state[(9 + _first.Length)..]);
    }

    /// <summary>Null, or what makes <paramref name="state"/> unfit for this optimiser: another setting (α, γ, β₁, β₂, ε), length or an impossible step count.</summary>
    public string? Differs(ReadOnlySpan<double> state)
    {
        if (state.Length != StateLength)
        {
            return $"its optimiser state has {state.Length} values, this one {StateLength}";
        }

        string[] names = ["learning rate α", "decay γ", "β₁", "β₂", "ε"];
        double[] mine = [_learningRate, _decay, _beta1, _beta2, _epsilon];
        for (int i = 0; i < mine.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(state[i]) != BitConverter.DoubleToInt64Bits(mine[i]))
            {
                return $"its optimiser's {names[i]} is {state[i]:R}, this trainer's {mine[i]:R}";
            }
        }

        return state[5] >= 0 && state[5] <= int.MaxValue && state[5] == Math.Floor(state[5]) ? null : $"its optimiser's step count {state[5]:R} is impossible";
    }

    /// <summary>Restores <see cref="SaveState"/>'s state (check it with <see cref="Differs"/> first).</summary>
    public void RestoreState(ReadOnlySpan<double> state)
    {
        if (Differs(state) is { } why)
        {
            throw new ArgumentException(why, nameof(state));
        }

        Steps = (int)state[5];
        LearningRate = state[6];
        _beta1Power = state[7];
        _beta2Power = state[8];
        state.Slice(9, _first.Length).CopyTo(_first);
        state.Slice(9 + _first.Length, _second.Length).CopyTo(_second);
    }
}
