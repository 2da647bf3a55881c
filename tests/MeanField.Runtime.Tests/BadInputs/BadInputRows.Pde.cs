using System.Globalization;
using MeanField.Runtime.Tests.Pde;

namespace MeanField.Runtime.Tests.BadInputs;

internal static partial class BadInputRows
{
    private static IEnumerable<BadInputRow> PdeRows()
    {
        const string Grid1 = "PeriodicGrid..ctor(Int32)";
        foreach (int n in new[] { 2, 0, -1, int.MinValue, PeriodicGrid.MaxNodeCount + 1 })
        {
            string text = n.ToString(CultureInfo.InvariantCulture);
            yield return Row<ArgumentOutOfRangeException>(Grid1, "n " + text, "n", ["n must be between 3", text], w => _ = new PeriodicGrid(n));
        }

        const string Grid2 = "PeriodicGrid..ctor(Int32, Int32)";
        yield return Row<ArgumentOutOfRangeException>(Grid2, "nx 2", "nx", ["nx must be between 3", "got 2"], w => _ = new PeriodicGrid(2, 8));
        yield return Row<ArgumentOutOfRangeException>(Grid2, "ny 0", "ny", ["ny must be between 3", "got 0"], w => _ = new PeriodicGrid(8, 0));
        yield return Row<ArgumentOutOfRangeException>(Grid2, "ny -3", "ny", ["got -3"], w => _ = new PeriodicGrid(8, -3));
        yield return Row<ArgumentOutOfRangeException>(Grid2, "nx·ny over the node limit", "ny", ["nx·ny = 536870912 nodes exceeds 268435456"], w => _ = new PeriodicGrid(1 << 14, 1 << 15));

        const string GridL = "PeriodicGrid..ctor(Int32, Double)";
        foreach (double length in new[] { 0, -1.5, double.NaN, double.PositiveInfinity })
        {
            string text = length.ToString(CultureInfo.InvariantCulture);
            yield return Row<ArgumentOutOfRangeException>(GridL, "length " + text, "length", ["length must be finite and > 0", text], w => _ = new PeriodicGrid(8, length));
        }

        yield return Row<ArgumentOutOfRangeException>(GridL, "n 2", "n", ["n must be between 3", "got 2"], w => _ = new PeriodicGrid(2, 3.0));

        const string Position = "PeriodicGrid.Position(Int32, Span<Double>)";
        yield return Row<ArgumentOutOfRangeException>(Position, "node -1", "node", ["node must be in [0, 10)", "-1"], w => new PeriodicGrid(10).Position(-1, w.Buffer));
        yield return Row<ArgumentOutOfRangeException>(Position, "node = NodeCount", "node", ["node must be in [0, 12)", "got 12"], w => new PeriodicGrid(3, 4).Position(12, w.Buffer));
        yield return Row<ArgumentException>(Position, "position too short for 2-D", "position", ["position has length 1", "dimension 2"], w => new PeriodicGrid(3, 4).Position(0, w.Buffer.AsSpan(0, 1)));
        yield return Row<ArgumentException>(Position, "position empty", "position", ["position has length 0", "dimension 1"], w => new PeriodicGrid(5).Position(0, Span<double>.Empty));

        const string Solver = "ErgodicSolver`1..ctor(PeriodicGrid, NewtonOptions)";
        yield return Row<ArgumentNullException>(Solver, "grid null", "grid", ["grid"], w => _ = new ErgodicSolver<ExplicitErgodic1D>(null!, null));
        yield return Row<ArgumentException>(Solver, "2-D grid for a 1-D game", "grid", ["grid has dimension 2", "ExplicitErgodic1D has dimension 1"], w => _ = new ErgodicSolver<ExplicitErgodic1D>(new PeriodicGrid(4, 4), null));
        yield return Row<ArgumentException>(Solver, "1-D grid for a 2-D game", "grid", ["grid has dimension 1", "ExplicitErgodic2D has dimension 2"], w => _ = new ErgodicSolver<ExplicitErgodic2D>(new PeriodicGrid(4), null));
        yield return Row<ArgumentException>(Solver, "game viscosity 0", "grid", ["ZeroViscosityGame.Viscosity is 0", "finite and > 0"], w => _ = new ErgodicSolver<ZeroViscosityGame>(new PeriodicGrid(4), null));
        yield return Row<ArgumentException>(Solver, "game viscosity NaN", "grid", ["NaNViscosityGame.Viscosity is NaN"], w => _ = new ErgodicSolver<NaNViscosityGame>(new PeriodicGrid(4), null));
        yield return Row<ArgumentException>(Solver, "game with a mean control", "grid", ["CrowdTradingGame has a mean control", "only the finite-horizon solvers"], w => _ = new ErgodicSolver<MeanField.Models.CrowdTradingGame>(new PeriodicGrid(8, 3.0), null));
        yield return Row<ArgumentException>(Solver, "game dimension 3", "grid", ["ThreeDimensionalGame.Dimension is 3", "1 and 2"], w => _ = new ErgodicSolver<ThreeDimensionalGame>(new PeriodicGrid(4), null));

        const string Finite = "FiniteHorizonSolver`1..ctor(PeriodicGrid, Double, Int32, NewtonOptions)";
        yield return Row<ArgumentNullException>(Finite, "grid null", "grid", ["grid"], w => _ = new FiniteHorizonSolver<TerminalCoupling1D>(null!, 1, 4, null));
        yield return Row<ArgumentException>(Finite, "2-D grid for a 1-D game", "grid", ["grid has dimension 2", "TerminalCoupling1D has dimension 1"], w => _ = new FiniteHorizonSolver<TerminalCoupling1D>(new PeriodicGrid(4, 4), 1, 4, null));
        yield return Row<ArgumentException>(Finite, "game viscosity 0", "grid", ["ZeroViscosityGame.Viscosity is 0"], w => _ = new FiniteHorizonSolver<ZeroViscosityGame>(new PeriodicGrid(4), 1, 4, null));
        yield return Row<ArgumentException>(Finite, "m₀ not a density on a longer circle", "grid", ["CrowdTradingGame.InitialDensity is 0 at node", "finite and > 0"], w => _ = new FiniteHorizonSolver<MeanField.Models.CrowdTradingGame>(new PeriodicGrid(8, 300.0), 1, 4, null));
        yield return Row<ArgumentException>(Finite, "m₀ of mass 2: not a density", "grid", ["HeavyDensityGame.InitialDensity is not a density", "h^dΣm₀ = 2"], w => _ = new FiniteHorizonSolver<HeavyDensityGame>(new PeriodicGrid(8), 1, 4, null));
        yield return Row<ArgumentException>(Finite, "m₀ negative somewhere", "grid", ["NegativeDensityGame.InitialDensity is -0.414", "at node 3 (x = 0.375)", "finite and > 0"], w => _ = new FiniteHorizonSolver<NegativeDensityGame>(new PeriodicGrid(8), 1, 4, null));
        foreach (double horizon in new[] { 0.0, -1.0, double.NaN, double.PositiveInfinity })
        {
            string text = horizon.ToString(CultureInfo.InvariantCulture);
            yield return Row<ArgumentOutOfRangeException>(Finite, "horizon " + text, "horizon", ["horizon must be finite and > 0", text], w => _ = new FiniteHorizonSolver<TerminalCoupling1D>(new PeriodicGrid(4), horizon, 4, null));
        }

        yield return Row<ArgumentOutOfRangeException>(Finite, "timeSteps 0", "timeSteps", ["timeSteps must be ≥ 1", "got 0"], w => _ = new FiniteHorizonSolver<TerminalCoupling1D>(new PeriodicGrid(4), 1, 0, null));
        yield return Row<ArgumentOutOfRangeException>(Finite, "timeSteps -2", "timeSteps", ["got -2"], w => _ = new FiniteHorizonSolver<TerminalCoupling1D>(new PeriodicGrid(4), 1, -2, null));
        yield return Row<ArgumentOutOfRangeException>(Finite, "too many unknowns", "timeSteps", ["2·n·timeSteps = 20000000 unknowns exceeds 16777216"], w => _ = new FiniteHorizonSolver<TerminalCoupling1D>(new PeriodicGrid(1000), 1, 10_000, null));

        const string FinitePlay = "FiniteHorizonFictitiousPlaySolver`1..ctor(PeriodicGrid, Double, Int32, FictitiousPlayOptions)";
        yield return Row<ArgumentNullException>(FinitePlay, "grid null", "grid", ["grid"], w => _ = new FiniteHorizonFictitiousPlaySolver<TerminalCoupling1D>(null!, 1, 4, null));
        yield return Row<ArgumentException>(FinitePlay, "2-D grid for a 1-D game", "grid", ["grid has dimension 2", "TerminalCoupling1D has dimension 1"], w => _ = new FiniteHorizonFictitiousPlaySolver<TerminalCoupling1D>(new PeriodicGrid(4, 4), 1, 4, null));
        yield return Row<ArgumentException>(FinitePlay, "game viscosity 0", "grid", ["ZeroViscosityGame.Viscosity is 0"], w => _ = new FiniteHorizonFictitiousPlaySolver<ZeroViscosityGame>(new PeriodicGrid(4), 1, 4, null));
        yield return Row<ArgumentException>(FinitePlay, "m₀ of mass 2: not a density", "grid", ["HeavyDensityGame.InitialDensity is not a density", "h^dΣm₀ = 2"], w => _ = new FiniteHorizonFictitiousPlaySolver<HeavyDensityGame>(new PeriodicGrid(8), 1, 4, null));
        yield return Row<ArgumentException>(FinitePlay, "mean control in 2-D", "grid", ["has a mean control", "1-D only"], w => _ = new FiniteHorizonFictitiousPlaySolver<MeanControl2D>(new PeriodicGrid(4, 4), 1, 4, null));
        foreach (double horizon in new[] { 0.0, double.NaN })
        {
            string text = horizon.ToString(CultureInfo.InvariantCulture);
            yield return Row<ArgumentOutOfRangeException>(FinitePlay, "horizon " + text, "horizon", ["horizon must be finite and > 0", text], w => _ = new FiniteHorizonFictitiousPlaySolver<TerminalCoupling1D>(new PeriodicGrid(4), horizon, 4, null));
        }

        yield return Row<ArgumentOutOfRangeException>(FinitePlay, "timeSteps 0", "timeSteps", ["timeSteps must be ≥ 1", "got 0"], w => _ = new FiniteHorizonFictitiousPlaySolver<TerminalCoupling1D>(new PeriodicGrid(4), 1, 0, null));
        yield return Row<ArgumentOutOfRangeException>(FinitePlay, "too many values", "timeSteps", ["n·(timeSteps + 1) = 150001500 values per grid function exceeds 134217728"], w => _ = new FiniteHorizonFictitiousPlaySolver<TerminalCoupling1D>(new PeriodicGrid(1500), 1, 100_000, null));

        const string Play = "FictitiousPlaySolver`1..ctor(PeriodicGrid, FictitiousPlayOptions)";
        yield return Row<ArgumentNullException>(Play, "grid null", "grid", ["grid"], w => _ = new FictitiousPlaySolver<ExplicitErgodic1D>(null!, null));
        yield return Row<ArgumentException>(Play, "2-D grid for a 1-D game", "grid", ["grid has dimension 2", "ExplicitErgodic1D has dimension 1"], w => _ = new FictitiousPlaySolver<ExplicitErgodic1D>(new PeriodicGrid(4, 4), null));
        yield return Row<ArgumentException>(Play, "1-D grid for a 2-D game", "grid", ["grid has dimension 1", "ExplicitErgodic2D has dimension 2"], w => _ = new FictitiousPlaySolver<ExplicitErgodic2D>(new PeriodicGrid(4), null));
        yield return Row<ArgumentException>(Play, "game viscosity 0", "grid", ["ZeroViscosityGame.Viscosity is 0", "finite and > 0"], w => _ = new FictitiousPlaySolver<ZeroViscosityGame>(new PeriodicGrid(4), null));
        yield return Row<ArgumentException>(Play, "game with a mean control", "grid", ["CrowdTradingGame has a mean control", "only the finite-horizon solvers"], w => _ = new FictitiousPlaySolver<MeanField.Models.CrowdTradingGame>(new PeriodicGrid(8, 3.0), null));
        yield return Row<ArgumentException>(Play, "game dimension 3", "grid", ["ThreeDimensionalGame.Dimension is 3", "1 and 2"], w => _ = new FictitiousPlaySolver<ThreeDimensionalGame>(new PeriodicGrid(4), null));
        foreach (double value in new[] { 0.0, -0.5, 1.0000001, 2, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            string text = value.ToString(CultureInfo.InvariantCulture);
            yield return Row<ArgumentOutOfRangeException>("FictitiousPlayOptions.set_Damping(Nullable<Double>)", "θ " + text, "Damping", ["Damping must be in (0, 1]", text], w => _ = new FictitiousPlayOptions { Damping = value });
        }

        foreach (double value in new[] { -1e-9, double.NaN, double.PositiveInfinity })
        {
            yield return PlayOption("Tolerance", "Double", value, (o, v) => o with { Tolerance = v });
        }

        foreach (double value in new[] { 0.0, -1e-9, double.NaN, double.PositiveInfinity })
        {
            yield return PlayOption("HjbTolerance", "Double", value, (o, v) => o with { HjbTolerance = v });
        }

        foreach (int value in new[] { 0, -1, int.MinValue })
        {
            yield return PlayOption("MaxIterations", "Int32", value, (o, v) => o with { MaxIterations = v });
            yield return PlayOption("HjbMaxIterations", "Int32", value, (o, v) => o with { HjbMaxIterations = v });
        }

        foreach (double value in new[] { -1e-9, double.NaN, double.PositiveInfinity })
        {
            yield return NewtonOption("Tolerance", "Double", value, (o, v) => o with { Tolerance = v });
            yield return NewtonOption("StepTolerance", "Double", value, (o, v) => o with { StepTolerance = v });
        }

        foreach (int value in new[] { 0, -1, int.MinValue })
        {
            yield return NewtonOption("MaxIterations", "Int32", value, (o, v) => o with { MaxIterations = v });
        }
    }

    private static BadInputRow PlayOption<T>(string property, string typeName, T value, Func<FictitiousPlayOptions, T, FictitiousPlayOptions> set)
        where T : IFormattable
    {
        string text = value.ToString(null, CultureInfo.InvariantCulture);
        return Row<ArgumentOutOfRangeException>($"FictitiousPlayOptions.set_{property}({typeName})", text, property, [property, text], w => set(new FictitiousPlayOptions(), value));
    }

    private static BadInputRow NewtonOption<T>(string property, string typeName, T value, Func<NewtonOptions, T, NewtonOptions> set)
        where T : IFormattable
    {
        string text = value.ToString(null, CultureInfo.InvariantCulture);
        return Row<ArgumentOutOfRangeException>($"NewtonOptions.set_{property}({typeName})", text, property, [property, text], w => set(new NewtonOptions(), value));
    }
}
