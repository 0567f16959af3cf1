using Latent.Data.Images;
using Latent.Recipes;

namespace Latent.Studio;

/// <summary>
/// Every recipe the studio builds, one at a time: building sets libtorch's thread count (<see cref="Recipe.Threads"/>),
/// a process-wide setting that live sessions and the walker would otherwise change concurrently.
/// </summary>
internal static class RecipeBuilds
{
    private static readonly Lock Gate = new();

    /// <summary><see cref="RecipeBuilder.Build"/>, serialized.</summary>
    public static BuiltRecipe Build(Recipe recipe)
    {
        lock (Gate)
            return RecipeBuilder.Build(recipe);
    }

    /// <summary><see cref="RecipeRunner.Load"/>, serialized; the thread count goes back to the studio's one afterwards.</summary>
    public static BuiltRecipe Load(string folder, DataStore store)
    {
        lock (Gate)
        {
            try
            {
                return RecipeRunner.Load(folder, store);
            }
            finally
            {
                Runtime.LatentRuntime.SetThreads(1);
            }
        }
    }
}
