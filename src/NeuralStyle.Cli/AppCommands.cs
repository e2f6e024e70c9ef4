using System.CommandLine;

namespace NeuralStyle.Cli;

/// <summary>The whole command tree: the style transfer at the root, then layers, models, classify, doctor and weights.</summary>
internal sealed class AppCommands
{
    /// <summary>Builds the tree; with <paramref name="resuming"/> the style options required for a new run are optional.</summary>
    public AppCommands(bool resuming = false)
    {
        Style = new StyleCommandLine(resuming);
        Root.Subcommands.Add(Layers.Command);
        Root.Subcommands.Add(Models.Command);
        Root.Subcommands.Add(Classify.Command);
        Root.Subcommands.Add(Doctor.Command);
        Root.Subcommands.Add(Weights.Command);
        // An action on the root keeps System.CommandLine from demanding a subcommand; dispatch happens in NeuralStyleApp.
        Root.SetAction(_ => 0);
        Layers.Command.SetAction(_ => 0);
        Classify.Command.SetAction(_ => 0);
        Doctor.Command.SetAction(_ => 0);
        NumberParsers.Apply(Root);
    }

    public StyleCommandLine Style { get; }

    public LayersCommand Layers { get; } = new();

    public ModelsCommand Models { get; } = new();

    public ClassifyCommand Classify { get; } = new();

    public DoctorCommand Doctor { get; } = new();

    public WeightsCommand Weights { get; } = new();

    public RootCommand Root => Style.Root;
}
