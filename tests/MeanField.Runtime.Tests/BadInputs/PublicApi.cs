using System.Reflection;
using System.Runtime.CompilerServices;

namespace MeanField.Runtime.Tests.BadInputs;

/// <summary>
/// The runtime's public entry points, by reflection, and the reasoned exemptions of the coverage check
/// (<see cref="BadInputMatrix.CoverageCheck"/>).
/// </summary>
internal static class PublicApi
{
    /// <summary>Types that hold state between calls: their parameterless methods need rows too (disposed, concurrent use).</summary>
    private static readonly HashSet<Type> Stateful = [typeof(NetworkEvaluator<>), typeof(GradientFlow<>), typeof(InteractionEvaluator<>), typeof(ParticleDynamics), typeof(MeanFieldLangevin), typeof(BirthDeathDynamics), typeof(NetworkEnergy<>)];

    /// <summary>Members exempt by name, each with its reason.</summary>
    public static readonly Dictionary<string, string> ExplicitExemptions = new(StringComparer.Ordinal)
    {
        ["NetworkEvaluator`1..ctor()"] = "no arguments: always valid (the thread count is Environment.ProcessorCount capped at MaxThreadCount); the threadCount overload has the rows",
        ["GradientFlowOptions.set_Progress(IProgress<GradientFlowProgress>)"] = "every value is valid (null means no reports); re-entrant use from the callback has rows (Step/Run/Loss inside a flow call)",
        ["Channels.SquaredNorm(ReadOnlySpan<Double>)"] = "every span is valid; a math primitive called from generated inner loops: NaN in gives NaN out (IEEE), like SimdMath",
        ["InteractionEvaluator`1..ctor()"] = "no arguments: the default options are valid; the options overload has the rows",
        ["InteractionEvaluatorOptions.set_IncludeSelfPair(Boolean)"] = "every value is valid",
        ["InteractionEvaluatorOptions.set_Seed(UInt64)"] = "every value is valid (any seed)",
        ["InteractionEvaluatorOptions.set_Reference(ParticleSet)"] = "every value is accepted here (null means none); the evaluator's constructor checks the set's model, values and weights (InteractionEvaluator`1..ctor rows)",
        ["NetworkLayout.Equals(NetworkLayout)"] = "equality: every argument is valid (null → false)",
        ["NetworkLayout.Equals(Object)"] = "equality: every argument is valid (null → false)",
        ["InteractionLayout.Equals(InteractionLayout)"] = "equality: every argument is valid (null → false)",
        ["InteractionLayout.Equals(Object)"] = "equality: every argument is valid (null → false)",
        ["NewtonOptions.set_Progress(IProgress<NewtonProgress>)"] = "every value is valid (null means no reports)",
        ["FictitiousPlayOptions.set_Progress(IProgress<FictitiousPlayProgress>)"] = "every value is valid (null means no reports)",
        ["MfgClusteringOptions.set_Game(FictitiousPlayOptions)"] = "every value is valid (null means the default best-response settings); FictitiousPlayOptions' own setters have the rows",
        ["DerivedFormulas.GetEnumerator()"] = "no arguments; the type is immutable",
        ["DerivedFormulas.ToString()"] = "no arguments; the type is immutable",
        ["DerivedFormula.ToString()"] = "no arguments; the type is immutable",
    };

    /// <summary>Whole types exempt, each with its reason.</summary>
    private static readonly Dictionary<Type, string> TypeExemptions = new()
    {
        [typeof(MeanField.Numerics.SimdMath)] = "math primitives called per lane from generated inner loops: IEEE semantics, NaN/±∞ in gives NaN/±∞ out (documented on the type); no argument to reject",
        [typeof(INetworkModel<>)] = "implemented by generated code (checked by the generator's tests), not called with user input",
        [typeof(IInteractionModel<>)] = "implemented by generated code (checked by the generator's tests), not called with user input",
        [typeof(IParticleEnergy)] = "an interface: each implementation's members carry the rows",
        [typeof(PairChannel)] = "a plain value record: its indices and kind are validated where a layout uses them (InteractionLayout..ctor rows)",
        [typeof(DivergenceException)] = "exception constructors: any message is valid",
        [typeof(IGameResiduals<>)] = "implemented by generated code (checked by PointResidualTests against the exact solution and finite differences), not called with user input",
        [typeof(IGameModel<>)] = "implemented by generated code (and hand-written test games), not called with user input; the solvers check Dimension and Viscosity (ErgodicSolver`1..ctor rows)",
        [typeof(NewtonConvergenceException)] = "exception constructors: any message is valid",
        [typeof(ErgodicSolution)] = "a result built by the runtime (internal constructor): every value is representable",
        [typeof(FiniteHorizonSolution)] = "a result built by the runtime (internal constructor): every value is representable",
        [typeof(NewtonSolution)] = "the base of the PDE results (private protected constructor): getters only",
        [typeof(NewtonProgress)] = "a progress record built by the runtime: every value is representable",
        [typeof(FictitiousPlayConvergenceException)] = "exception constructors: any message is valid",
        [typeof(FictitiousPlayProgress)] = "a progress record built by the runtime: every value is representable",
        [typeof(ClusteringResult)] = "a result built by the runtime (internal constructor): getters only",
        [typeof(ClusteringConvergenceException)] = "exception constructors: any message is valid",
        [typeof(GradientFlowResult)] = "a result record built by the runtime: every value is representable",
        [typeof(GradientFlowProgress)] = "a result record built by the runtime: every value is representable",
        [typeof(ParticleChannel)] = "a plain value record: its indices are validated where a layout uses them (NetworkLayout..ctor rows)",
    };

    public static IEnumerable<EntryPoint> EntryPoints()
    {
        foreach (Type type in typeof(ParticleSet).Assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (type.IsEnum || type.IsSubclassOf(typeof(Attribute)) && type.GetConstructors().All(c => c.GetParameters().Length == 0))
            {
                continue; // enums have no code; attributes are markers with parameterless constructors
            }

            const BindingFlags Flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            IEnumerable<MethodBase> members = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).Cast<MethodBase>().Concat(type.GetMethods(Flags));
            foreach (MethodBase member in members)
            {
                yield return new EntryPoint(type, member, KeyOf(type, member));
            }
        }
    }

    /// <summary>Why <paramref name="member"/> needs no row, or null when it needs one.</summary>
    public static string? Exemption(EntryPoint member)
    {
        if (ExplicitExemptions.TryGetValue(member.Key, out string? reason))
        {
            return reason;
        }

        Type definition = member.Type.IsGenericType ? member.Type.GetGenericTypeDefinition() : member.Type;
        if (TypeExemptions.TryGetValue(definition, out reason))
        {
            return reason;
        }

        bool parameterless = member.Member.GetParameters().Length == 0;
        if (member.Member.Name.StartsWith("get_", StringComparison.Ordinal) && parameterless)
        {
            return "a parameterless getter: no input; it reads state (allowed after Dispose, see specs/reliability.md)";
        }

        if (member.Member.IsDefined(typeof(CompilerGeneratedAttribute)) && !member.Member.Name.StartsWith("set_", StringComparison.Ordinal))
        {
            return "a compiler-generated record member (equality, ToString, Deconstruct, clone)";
        }

        if (parameterless && !Stateful.Contains(definition))
        {
            return "no arguments on a type without call state";
        }

        return null;
    }

    /// <summary><c>Type.Name(ParameterTypes)</c>: <c>NetworkEvaluator`1.Predict(ParticleSet, SampleSet, Span&lt;Double&gt;)</c>.</summary>
    private static string KeyOf(Type type, MethodBase member) =>
        $"{type.Name}.{member.Name}({string.Join(", ", member.GetParameters().Select(p => TypeKey(p.ParameterType, p.IsOut)))})";

    private static string TypeKey(Type type, bool isOut = false)
    {
        if (type.IsByRef)
        {
            return (isOut ? "out " : "ref ") + TypeKey(type.GetElementType()!);
        }

        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type.IsArray)
        {
            return TypeKey(type.GetElementType()!) + "[]";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        string name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(a => TypeKey(a)))}>";
    }

    internal sealed record EntryPoint(Type Type, MethodBase Member, string Key);
}
