using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MeanField.Generators.Emit;
using MeanField.Generators.Helpers;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Games;

/// <summary>
/// Writes the generated file of one game on the shared writers: the <see cref="FileSkeleton"/> (header with the derived
/// formulas and operation counts, <c>Derivation</c>, <c>Formulas</c>), then explicit implementations of
/// <c>IGameModel&lt;T&gt;</c>: the dimension and viscosity, the numerical Hamiltonian Ĥ(x, p⁻, p⁺, m) with its gradient
/// in the 2d + 1 node variables (p⁻_k, p⁺_k, m), the same with its Hessian (one CSE program each, so the value, the
/// gradient and the Hessian share their work), the initial density, the terminal cost and its derivative in m; and
/// <c>IGameResiduals&lt;T&gt;</c>: the pointwise HJB and Fokker–Planck residuals with their Jacobian, one program.
/// </summary>
internal static class GameEmitter
{
    public static string Emit(GameSpec spec)
    {
        int d = spec.Dimension;
        var variables = spec.PMinus.Concat(spec.PPlus).Append(spec.Density).ToArray();
        var gradient = Differentiation.Derivatives(spec.Numerical, variables);
        var hessian = gradient.SelectMany(g => Differentiation.Derivatives(g, variables)).ToArray();
        var valueAndGradient = CseProgram.BuildForCode(new[] { spec.Numerical }.Concat(gradient).ToArray());
        var withHessian = CseProgram.BuildForCode(new[] { spec.Numerical }.Concat(gradient).Concat(hessian).ToArray());
        var initial = CseProgram.BuildForCode(new[] { spec.InitialDensity ?? Expr.One });
        var terminal = CseProgram.BuildForCode(new[] { spec.TerminalCost ?? Expr.Zero });
        var terminalSlope = CseProgram.BuildForCode(new[] { spec.TerminalCost is null ? Expr.Zero : Differentiation.Derivative(spec.TerminalCost, spec.Density) });
        var coupling = spec.MeanControlCoupling is null ? null : CseProgram.BuildForCode(new[] { spec.MeanControlCoupling });

        var (pointSymbols, pointResiduals) = PointResiduals(spec);
        var pointJacobian = pointResiduals.SelectMany(r => Differentiation.Derivatives(r, pointSymbols)).ToArray();
        var pointProgram = CseProgram.BuildForCode(pointResiduals.Concat(pointJacobian).ToArray());

        var text = new DerivationText();
        string x = Shown(spec.Position, parenthesised: false);
        string p = Shown(spec.Gradient, parenthesised: true);
        string mu = spec.MeanControl is null ? string.Empty : ", " + spec.MeanControl;
        text.Header($"Mean-field game {spec.TypeName} on the {d}-torus, ν = {Number(spec.Viscosity)}; players minimise: −ν Δu + H(x, ∇u, m) + λ = 0, −ν Δm − div(m ∂ₚH) = 0 (specs/mfg.md)");
        if (spec.Lagrangian is not null)
        {
            string v = Shown(spec.Velocity, parenthesised: true);
            text.Header($"Declared: the Lagrangian {spec.MethodName}({x}, {v}, {spec.Density}{mu}), quadratic and convex in {v}; H is its Legendre transform H(x, p, m) = sup_v [−p·v − L(x, v, m)]");
        }
        else
        {
            text.Header($"Declared: the Hamiltonian {spec.MethodName}({x}, {p}, {spec.Density}{mu})");
        }

        if (spec.MeanControl is not null)
        {
            text.Header($"Mean control {spec.MeanControl}(t) = −∫ ∂ₚH m dx (the population's mean velocity) enters as {spec.MeanControl}·c({x}); H below is the declared one at {spec.MeanControl} = 0, and the solver adds {spec.MeanControl}·c");
        }

        text.Header($"Numerical Hamiltonian (Engquist–Osher, monotone for H convex and separable in p): Ĥ = H(p*) + Σ_k [h_k(max(p⁻_k, p*_k)) − h_k(p*_k)] + [h_k(min(p⁺_k, p*_k)) − h_k(p*_k)], with p⁻ = D⁻u, p⁺ = D⁺u and h_k = H along p_k");
        text.Header("Node variables, in order: " + string.Join(", ", variables));
        text.Header(string.Empty);
        if (spec.Lagrangian is not null)
        {
            text.Line("L", spec.Lagrangian);
        }

        text.Line("H", spec.Hamiltonian);
        for (int k = 0; k < d; k++)
        {
            text.Line($"{spec.Gradient[k]}*", spec.Minimisers[k]);
        }

        text.Line("Ĥ", spec.Numerical);
        for (int k = 0; k < variables.Length; k++)
        {
            text.Line($"∂Ĥ/∂{variables[k]}", gradient[k]);
        }

        if (spec.MeanControlCoupling is not null)
        {
            text.Line("c", spec.MeanControlCoupling);
        }

        if (spec.InitialDensity is not null)
        {
            text.Line("m₀", spec.InitialDensity);
        }

        if (spec.TerminalCost is not null)
        {
            text.Line("g", spec.TerminalCost);
            text.Line("∂g/∂" + spec.Density, Differentiation.Derivative(spec.TerminalCost, spec.Density));
        }

        text.Line("R_HJB", pointResiduals[0]);
        text.Line("R_FP", pointResiduals[1]);
        text.Count("Ĥ with ∇Ĥ", valueAndGradient);
        text.Count("Ĥ with ∇Ĥ and ∇²Ĥ", withHessian);
        text.Count("point residuals with their Jacobian", pointProgram);
        string derivation = text.Finish();
        string contract = FileSkeleton.Contract(spec, "IGameModel");
        string residualContract = FileSkeleton.Contract(spec, "IGameResiduals");

        // Each symbol's C# name: position k → x{k} (from x[k]), p⁻_k → pm{k}, p⁺_k → pp{k}, the density → m (the
        // parameter itself).
        var names = new Dictionary<string, string>();
        for (int k = 0; k < d; k++)
        {
            names[spec.Position[k]] = "x" + k.ToString(CultureInfo.InvariantCulture);
            names[spec.PMinus[k]] = "pm" + k.ToString(CultureInfo.InvariantCulture);
            names[spec.PPlus[k]] = "pp" + k.ToString(CultureInfo.InvariantCulture);
        }

        names[spec.Density] = "m";
        var writer = new IndentedTextWriter();
        using (FileSkeleton.Begin(writer, spec, "game", contract, null, System.Array.Empty<KeyValuePair<string, string>>(), derivation, text.Formulas, "Ĥ", residualContract))
        {
            writer.WriteLine();
            writer.WriteLine(OperatorWriter.GeneratedCode);
            writer.WriteLine($"static int {contract}.Dimension => {d.ToString(CultureInfo.InvariantCulture)};");
            writer.WriteLine();
            writer.WriteLine(OperatorWriter.GeneratedCode);
            writer.WriteLine($"static double {contract}.Viscosity => {CSharpPrinter.Literal(spec.Viscosity)};");
            const string Span = "global::System.ReadOnlySpan<double>";
            const string Output = "global::System.Span<double>";
            if (coupling is not null)
            {
                writer.WriteLine();
                writer.WriteLine(OperatorWriter.GeneratedCode);
                writer.WriteLine($"static bool {contract}.HasMeanControl => true;");
                writer.WriteLine();
                WritePointFunction(writer, spec, contract, "MeanControlCoupling", $"{Span} x", coupling, names);
            }

            writer.WriteLine();
            WriteNumerical(writer, spec, contract, valueAndGradient, names, $"{Span} x, {Span} pMinus, {Span} pPlus, double m, {Output} gradient", variables.Length, hessian: false);
            writer.WriteLine();
            WriteNumerical(writer, spec, contract, withHessian, names, $"{Span} x, {Span} pMinus, {Span} pPlus, double m, {Output} gradient, {Output} hessian", variables.Length, hessian: true);
            writer.WriteLine();
            WritePointFunction(writer, spec, contract, "InitialDensity", $"{Span} x", initial, names);
            writer.WriteLine();
            WritePointFunction(writer, spec, contract, "TerminalCost", $"{Span} x, double m", terminal, names);
            writer.WriteLine();
            WritePointFunction(writer, spec, contract, "TerminalCostDerivative", $"{Span} x, double m", terminalSlope, names);
            writer.WriteLine();
            WritePointResiduals(writer, residualContract, pointProgram, pointSymbols);
        }

        return writer.ToString();
    }

    /// <summary>Ĥ, returned, with its gradient (and Hessian, row-major) written in node-variable order.</summary>
    private static void WriteNumerical(IndentedTextWriter writer, GameSpec spec, string contract, CseProgram program, Dictionary<string, string> names, string parameters, int count, bool hessian)
    {
        writer.WriteLine(OperatorWriter.GeneratedCode);
        using (writer.WriteBlock($"static double {contract}.NumericalHamiltonian({parameters})"))
        {
            WriteLoads(writer, spec, program, names, differences: true);
            OperatorWriter.WriteTemps(writer, program, SimdWidth.Scalar, names);
            int outputs = 1 + count + (hessian ? count * count : 0);
            for (int k = outputs - 1; k >= 1; k--)
            {
                string target = k <= count ? $"gradient[{(k - 1).ToString(CultureInfo.InvariantCulture)}]" : $"hessian[{(k - 1 - count).ToString(CultureInfo.InvariantCulture)}]";
                writer.WriteLine($"{target} = {CSharpPrinter.Print(program.Outputs[k], SimdWidth.Scalar, s => names[s])};");
            }

            writer.WriteLine($"return {CSharpPrinter.Print(program.Outputs[0], SimdWidth.Scalar, s => names[s])};");
        }
    }

    private static void WritePointFunction(IndentedTextWriter writer, GameSpec spec, string contract, string name, string parameters, CseProgram program, Dictionary<string, string> names)
    {
        writer.WriteLine(OperatorWriter.GeneratedCode);
        using (writer.WriteBlock($"static double {contract}.{name}({parameters})"))
        {
            WriteLoads(writer, spec, program, names, differences: false);
            OperatorWriter.WriteTemps(writer, program, SimdWidth.Scalar, names);
            writer.WriteLine($"return {CSharpPrinter.Print(program.Outputs[0], SimdWidth.Scalar, s => names[s])};");
        }
    }

    /// <summary>The position and difference components the program reads, loaded into locals (last index first: one bounds check).</summary>
    private static void WriteLoads(IndentedTextWriter writer, GameSpec spec, CseProgram program, Dictionary<string, string> names, bool differences)
    {
        var used = OperatorWriter.UsedSymbols(program);
        for (int k = spec.Dimension - 1; k >= 0; k--)
        {
            string index = k.ToString(CultureInfo.InvariantCulture);
            if (used.Contains(spec.Position[k]))
            {
                writer.WriteLine($"var x{index} = x[{index}];");
            }

            if (differences && used.Contains(spec.PMinus[k]))
            {
                writer.WriteLine($"var pm{index} = pMinus[{index}];");
            }

            if (differences && used.Contains(spec.PPlus[k]))
            {
                writer.WriteLine($"var pp{index} = pPlus[{index}];");
            }
        }
    }

    /// <summary>
    /// The input symbols of the pointwise residuals (in <c>IGameResiduals</c>' order: x, u, ∇u, diag ∇²u, m, ∇m, diag ∇²m,
    /// ∂u/∂t, ∂m/∂t, λ; ∇u's symbols are H's p symbols) and the residuals R_HJB = −u_t − νΔu + H + λ,
    /// R_FP = m_t − νΔm − Σ_k [m_k H_{p_k} + m (H_{p_k x_k} + H_{p_k p_k} u_kk + H_{p_k m} m_k)].
    /// </summary>
    private static (string[] Symbols, Expr[] Residuals) PointResiduals(GameSpec spec)
    {
        int d = spec.Dimension;
        var x = spec.Position.ToArray();
        var p = spec.Gradient.ToArray();
        string u = Fresh("u", spec), m = spec.Density;
        var uxx = x.Select(a => $"∂²{u}/∂{a}²").ToArray();
        var mx = x.Select(a => $"∂{m}/∂{a}").ToArray();
        var mxx = x.Select(a => $"∂²{m}/∂{a}²").ToArray();
        string ut = $"∂{u}/∂t", mt = $"∂{m}/∂t", lambda = Fresh("λ", spec);
        var symbols = x.Append(u).Concat(p).Concat(uxx).Append(m).Concat(mx).Concat(mxx).Append(ut).Append(mt).Append(lambda).ToArray();
        var nu = Expr.Constant(spec.Viscosity);
        Expr laplacianU = Expr.Zero, laplacianM = Expr.Zero, divergence = Expr.Zero;
        for (int k = 0; k < d; k++)
        {
            laplacianU += Expr.Symbol(uxx[k]);
            laplacianM += Expr.Symbol(mxx[k]);
            var hp = Differentiation.Derivative(spec.Hamiltonian, p[k]);
            var inner = Differentiation.Derivative(hp, x[k])
                + (Differentiation.Derivative(hp, p[k]) * Expr.Symbol(uxx[k]))
                + (Differentiation.Derivative(hp, m) * Expr.Symbol(mx[k]));
            divergence += (Expr.Symbol(mx[k]) * hp) + (Expr.Symbol(m) * inner);
        }

        var hjb = -Expr.Symbol(ut) - (nu * laplacianU) + spec.Hamiltonian + Expr.Symbol(lambda);
        var fp = Expr.Symbol(mt) - (nu * laplacianM) - divergence;
        return (symbols, new[] { hjb, fp });
    }

    /// <summary><paramref name="name"/>, primed until it is none of the game's own symbols.</summary>
    private static string Fresh(string name, GameSpec spec)
    {
        var taken = new HashSet<string>(spec.Position.Concat(spec.Gradient).Append(spec.Density));
        while (taken.Contains(name))
        {
            name += "′";
        }

        return name;
    }

    /// <summary>R_HJB, R_FP and their Jacobian from one program; inputs loaded by index into <c>a{k}</c>.</summary>
    private static void WritePointResiduals(IndentedTextWriter writer, string contract, CseProgram program, string[] symbols)
    {
        var names = new Dictionary<string, string>();
        for (int k = 0; k < symbols.Length; k++)
        {
            names[symbols[k]] = "a" + k.ToString(CultureInfo.InvariantCulture);
        }

        writer.WriteLine(OperatorWriter.GeneratedCode);
        writer.WriteLine($"static int {contract}.PointInputCount => {symbols.Length.ToString(CultureInfo.InvariantCulture)};");
        writer.WriteLine();
        writer.WriteLine(OperatorWriter.GeneratedCode);
        using (writer.WriteBlock($"static void {contract}.PointResiduals(global::System.ReadOnlySpan<double> inputs, global::System.Span<double> residuals, global::System.Span<double> jacobian)"))
        {
            OperatorWriter.WriteInputs(writer, program, new OperatorWriter.InputNames(new EquatableArray<string>(symbols), names), symbols.Length);
            OperatorWriter.WriteTemps(writer, program, SimdWidth.Scalar, names);
            for (int k = program.Outputs.Count - 1; k >= 2; k--)
            {
                writer.WriteLine($"jacobian[{(k - 2).ToString(CultureInfo.InvariantCulture)}] = {CSharpPrinter.Print(program.Outputs[k], SimdWidth.Scalar, s => names[s])};");
            }

            writer.WriteLine($"residuals[1] = {CSharpPrinter.Print(program.Outputs[1], SimdWidth.Scalar, s => names[s])};");
            writer.WriteLine($"residuals[0] = {CSharpPrinter.Print(program.Outputs[0], SimdWidth.Scalar, s => names[s])};");
        }
    }

    /// <summary>How a header names a vector argument: its components (x, y or (px, py)), or the vector's own name for the
    /// vector form, whose components are x[0] … x[d − 1].</summary>
    private static string Shown(EquatableArray<string> components, bool parenthesised)
    {
        if (components[0].EndsWith("[0]", System.StringComparison.Ordinal))
        {
            return components[0].Substring(0, components[0].Length - 3);
        }

        return components.Count == 1 || !parenthesised ? string.Join(", ", components) : "(" + string.Join(", ", components) + ")";
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
