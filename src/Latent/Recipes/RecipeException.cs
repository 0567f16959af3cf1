namespace Latent.Recipes;

/// <summary>A recipe is malformed or impossible; the message names the field's path (<c>gan.critic_steps</c>) and what was expected.</summary>
public sealed class RecipeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RecipeException(string message) : base(message) { }

    /// <summary>Creates the exception with the underlying error.</summary>
    public RecipeException(string message, Exception inner) : base(message, inner) { }
}
