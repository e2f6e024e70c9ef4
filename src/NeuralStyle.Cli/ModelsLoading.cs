using System.Runtime.InteropServices;
using NeuralStyle.Weights;
using NeuralStyle.Zoo;

namespace NeuralStyle.Cli;

/// <summary>Looks up and builds zoo models for the models and classify commands, turning lookup failures into usage errors.</summary>
internal static class ModelsLoading
{
    /// <summary>The model's description; an unknown name is a usage error listing the names.</summary>
    public static ModelInfo Describe(string name)
    {
        try
        {
            return ModelZoo.Describe(name);
        }
        catch (KeyNotFoundException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Builds <paramref name="name"/> and loads <paramref name="weights"/> strictly (random weights when null).</summary>
    public static ZooModel Build(string name, string? weights)
    {
        ModelInfo info = Describe(name);
        if (weights is not null && !File.Exists(weights))
        {
            throw new UsageException($"Weights {weights} do not exist.");
        }

        ZooModel model = ModelZoo.Create(info.Name);
        try
        {
            if (weights is not null)
            {
                StateDictFile.LoadInto(model, weights, strict: true);
            }

            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="action"/>, reporting a LibTorch failure (a shape the model cannot take) as one line naming the model.</summary>
    public static T Guard<T>(string model, string what, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ExternalException or ArgumentException)
        {
            // LibTorch reports a bad shape as an ExternalException, TorchSharp's own checks as an ArgumentException.
            string first = e.Message.Split('\n', 2)[0].Trim();
            throw new InvalidDataException($"{model} cannot run on {what}: {first}", e);
        }
    }

    /// <summary>Refuses an existing file unless <paramref name="overwrite"/>, as the style command does.</summary>
    public static void EnsureNew(string path, bool overwrite)
    {
        if (!overwrite && File.Exists(path))
        {
            throw new UsageException($"{path} already exists (use --overwrite to replace it)");
        }
    }
}
