using System.Linq;
using MeanField.Generators.Diagnostics;
using MeanField.Generators.Emit;
using MeanField.Generators.Games;
using MeanField.Generators.Interactions;
using MeanField.Generators.Networks;
using MeanField.Generators.Pipeline;
using Microsoft.CodeAnalysis;

namespace MeanField.Generators;

/// <summary>
/// The MeanField incremental generator, for every model kind: <c>[MeanFieldNetwork]</c> types (Networks/),
/// <c>[InteractionEnergy]</c> types (Interactions/) and <c>[MeanFieldGame]</c> types (Games/). Each kind registers its parse and emit steps through
/// <see cref="ModelPipeline"/>: one equatable spec per model, diagnostics in their own output, one
/// <c>{Namespace}.{Type}.g.cs</c> per model (see <see cref="HintNames"/>). The kinds' diagnostics and files are joined
/// here, so hint names are unique across kinds and each diagnostic is reported once.
/// </summary>
/// <remarks>
/// It is the one generator of the package, so its generated files lie under
/// <c>generated/MeanField.Generators/MeanField.Generators.MeanFieldGenerator/</c>. Everything between a kind's front end
/// (Networks/, Interactions/: roles, signatures, the kind's formulas) and its emitter is shared: the formula compiler
/// (Symbolic/, Parsing/), the input layout (<c>ChannelSet.Layout</c> → <c>InputLayout</c>), the spec base
/// (<c>ModelSpec</c>), the pipeline (<see cref="ModelPipeline"/>) and the writers (Emit/: file skeleton, operator
/// bodies, derivation text with its chain rule). The kinds never refer to each other.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class MeanFieldGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the network kind's pipeline steps (asserted by the incrementality tests):
    /// <c>MeanField.Parse</c>, <c>.Specs</c>, <c>.Emit</c>, <c>.Diagnostics</c>.</summary>
    public static StepNames NetworkSteps { get; } = new("MeanField");

    /// <summary>Tracking names of the interaction kind's pipeline steps: <c>MeanField.Interaction.Parse</c>, ….</summary>
    public static StepNames InteractionSteps { get; } = new("MeanField.Interaction");

    /// <summary>Tracking names of the game kind's pipeline steps: <c>MeanField.Game.Parse</c>, ….</summary>
    public static StepNames GameSteps { get; } = new("MeanField.Game");

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var networks = ModelPipeline.Register(context, NetworkParser.NetworkAttribute, NetworkSteps.Pipeline, NetworkParser.Parse, NetworkEmitter.Emit);
        var interactions = ModelPipeline.Register(context, InteractionParser.InteractionAttribute, InteractionSteps.Pipeline, InteractionParser.Parse, InteractionEmitter.Emit);
        var games = ModelPipeline.Register(context, GameParser.GameAttribute, GameSteps.Pipeline, GameParser.Parse, GameEmitter.Emit);

        // The project's MeanFieldDiagnosticsDocs: where the help links of its diagnostics point (HelpLinks).
        var docs = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue(HelpLinks.OptionKey, out var value) ? value : null);

        context.RegisterSourceOutput(
            networks.Diagnostics.Collect().Combine(interactions.Diagnostics.Collect()).Combine(games.Diagnostics.Collect()).Combine(docs),
            static (spc, input) => ModelPipeline.Report(spc, input.Left.Left.Left.Concat(input.Left.Left.Right).Concat(input.Left.Right), input.Right));

        var emitted = networks.Emitted.Collect().Combine(interactions.Emitted.Collect()).Combine(games.Emitted.Collect());
        var sites = networks.Sites.Collect().Combine(interactions.Sites.Collect()).Combine(games.Sites.Collect());
        context.RegisterSourceOutput(
            emitted.Combine(sites).Combine(docs),
            static (spc, input) => ModelPipeline.AddSources(
                spc,
                input.Left.Left.Left.Left.Concat(input.Left.Left.Left.Right).Concat(input.Left.Left.Right),
                input.Left.Right.Left.Left.AddRange(input.Left.Right.Left.Right).AddRange(input.Left.Right.Right),
                input.Right));
    }

    /// <summary>Tracking names of one kind's pipeline steps.</summary>
    public sealed class StepNames
    {
        internal StepNames(string prefix)
        {
            Parse = prefix + ".Parse";
            Specs = prefix + ".Specs";
            Emit = prefix + ".Emit";
            Diagnostics = prefix + ".Diagnostics";
            Pipeline = new ModelPipeline.StepNames(Parse, Specs, Emit, Diagnostics);
        }

        /// <summary>Model type → spec and diagnostics.</summary>
        public string Parse { get; }

        /// <summary>The specs of valid models.</summary>
        public string Specs { get; }

        /// <summary>Spec → generated source (or the failure that replaces it).</summary>
        public string Emit { get; }

        /// <summary>The diagnostics.</summary>
        public string Diagnostics { get; }

        internal ModelPipeline.StepNames Pipeline { get; }
    }
}
