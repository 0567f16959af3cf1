using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Latent.Studio;

/// <summary>The front end, embedded in the assembly (wwwroot/): index.html, the script and the style sheet.</summary>
internal static class StaticFiles
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>Serves a file of wwwroot by its plain name (no folders), or 404.</summary>
    public static IResult Serve(string name)
    {
        if (name.Contains('/') || name.Contains('\\') || !ContentTypes.TryGetValue(Path.GetExtension(name), out string? contentType))
            return Http.ErrorResponse.Result(StatusCodes.Status404NotFound, $"no file '{name}'");
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("wwwroot/" + name);
        return stream is null
            ? Http.ErrorResponse.Result(StatusCodes.Status404NotFound, $"no file '{name}'")
            : Results.Stream(stream, contentType);
    }
}
