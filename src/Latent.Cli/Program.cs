using Latent.Cli;
using Latent.Cli.Commands;
using Latent.Data.Images;
using Latent.Recipes;
using Latent.Runtime;
using Latent.Training;

return LatentCommand.Run(args, Console.Out, Console.Error);

namespace Latent.Cli
{
    /// <summary>The <c>latent</c> command: dispatch, help, and the mapping of errors to one line and an exit code.</summary>
    internal static class LatentCommand
    {
        private const string Usage = """
            latent: train, sample and evaluate deep generative models

            Usage:
              latent train <preset | recipe.json> [--seed N] [--steps N] [--out DIR] [--threads N] [--set PATH=VALUE ...]
              latent sample <run> --n N --out FILE (.png or .csv)
              latent eval <run> [--json] [--samples N] | latent eval --real <mnist | fashion-mnist>
              latent interpolate <run> --out FILE.png [--rows N] [--linear]
              latent reconstruct <run> --out FILE.png [--rows N]
              latent export <run> [--format safetensors] [--out FILE] [--network NAME]
              latent data fetch <mnist | fashion-mnist> | latent data list
              latent presets [--json NAME]
              latent studio [--port N] [--runs DIR] [--host ADDRESS]
              latent <command> --help
              latent --version

            Start with:
              latent train wgangp8g     (WGAN-GP on a ring of 8 Gaussians: about half a minute on one CPU core)
              latent data fetch mnist   (then: latent train mnist-vae-mlp, about a minute and a half on two cores,
                                         and the first time about two more to train the classifier that scores it)
            """;

        private static readonly Dictionary<string, (Func<IReadOnlyList<string>, TextWriter, int> Run, string Help)> Commands = new()
        {
            ["train"] = (TrainCommand.Run, TrainCommand.Help),
            ["sample"] = (SampleCommand.Run, SampleCommand.Help),
            ["eval"] = (EvalCommand.Run, EvalCommand.Help),
            ["interpolate"] = (InterpolateCommand.Run, InterpolateCommand.Help),
            ["reconstruct"] = (ReconstructCommand.Run, ReconstructCommand.Help),
            ["export"] = (ExportCommand.Run, ExportCommand.Help),
            ["data"] = (DataCommand.Run, DataCommand.Help),
            ["presets"] = (PresetsCommand.Run, PresetsCommand.Help),
            ["studio"] = (StudioCommand.Run, StudioCommand.Help),
        };

        public static int Run(string[] args, TextWriter output, TextWriter error)
        {
            if (args.Length == 0 || args[0] is "--help" or "-h" or "help" && args.Length == 1)
            {
                output.WriteLine(Usage);
                return args.Length == 0 ? ExitCodes.BadInput : ExitCodes.Success;
            }
            if (args[0] == "--version")
            {
                try
                {
                    LatentRuntime.EnsureLoaded();
                }
                catch (LatentRuntimeException e)
                {
                    return Fail(error, e.Message, ExitCodes.NoEngine);
                }
                output.WriteLine($"latent {typeof(Recipe).Assembly.GetName().Version}; TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}; native: {LatentRuntime.NativeDescription}");
                output.WriteLine($"matrix products: {LatentRuntime.MklStatus}");
                output.WriteLine($"convolutions: {LatentRuntime.OneDnnStatus}");
                output.WriteLine($"memory: {LatentRuntime.MallocStatus}");
                return ExitCodes.Success;
            }
            // "latent help train" and "latent --help train" both mean "latent train --help".
            bool asksHelp = args[0] is "help" or "--help" or "-h";
            string name = asksHelp ? args[1] : args[0];
            if (!Commands.TryGetValue(name, out var command))
            {
                string hint = NameSuggestion.Closest(name, Commands.Keys) is { } near ? $" (did you mean '{near}'?)" : "";
                error.WriteLine($"latent: unknown command '{name}'{hint}; expected one of {string.Join(", ", Commands.Keys)}");
                return ExitCodes.BadInput;
            }
            var rest = args.Skip(1).ToList();
            if (asksHelp || rest.Contains("--help") || rest.Contains("-h"))
            {
                output.WriteLine(command.Help);
                return ExitCodes.Success;
            }

            try
            {
                LatentRuntime.EnsureLoaded();
                return command.Run(rest, output);
            }
            catch (UsageException e)
            {
                return Fail(error, e.Message, ExitCodes.BadInput);
            }
            catch (RecipeException e)
            {
                return Fail(error, $"{name}: {e.Message}", ExitCodes.BadInput);
            }
            catch (DataNotInstalledException e)
            {
                return Fail(error, $"{name}: {e.Message}", ExitCodes.BadInput);
            }
            catch (DataFormatException e)
            {
                return Fail(error, $"{name}: {e.Message}", ExitCodes.BadInput);
            }
            catch (DataFetchException e)
            {
                return Fail(error, $"{name}: {e.Message}", ExitCodes.Failure);
            }
            catch (LatentRuntimeException e)
            {
                return Fail(error, e.Message, ExitCodes.NoEngine);
            }
            catch (TrainingDivergedException e)
            {
                return Fail(error, $"{name}: {e.Message}", ExitCodes.Failure);
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException or Serialization.SafeTensorsException)
            {
                // A run folder whose checkpoint is missing or does not match its recipe: bad input, nothing written.
                return Fail(error, $"{name}: {e.Message}", ExitCodes.BadInput);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(error, $"{name}: {e.Message}", ExitCodes.Failure);
            }
        }

        private static int Fail(TextWriter error, string message, int code)
        {
            error.WriteLine($"latent: {message}");
            return code;
        }
    }
}
