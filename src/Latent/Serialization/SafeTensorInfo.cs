namespace Latent.Serialization;

/// <summary>One tensor listed in a safetensors file's header.</summary>
/// <param name="Name">Its key, such as <c>layers.linear0.weight</c>.</param>
/// <param name="DType">Its element type as the format spells it: <c>F64</c>, <c>F32</c>, <c>F16</c>, <c>BF16</c>, <c>I64</c>,
/// <c>I32</c>, <c>I16</c>, <c>I8</c>, <c>U8</c> or <c>BOOL</c>.</param>
/// <param name="Shape">Its sizes, outermost first; empty for a scalar.</param>
public sealed record SafeTensorInfo(string Name, string DType, long[] Shape);
