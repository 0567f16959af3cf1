namespace Latent.Tests.Evaluation;

/// <summary>A fact that needs /usr/bin/python3 with the given modules; it is skipped, saying what is missing, where they do not import.</summary>
/// <remarks>xunit 2 decides skips when it discovers tests, so the check runs then, once per set of modules.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class DebianPythonFactAttribute : FactAttribute
{
    public DebianPythonFactAttribute(params string[] modules)
    {
        if (DebianPython.Missing(modules) is string missing)
            Skip = missing;
    }
}
