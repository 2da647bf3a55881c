namespace MeanField.Generators.Symbolic;

/// <summary>The lane type generated code computes with.</summary>
public enum SimdWidth
{
    /// <summary>Plain <see cref="double"/>.</summary>
    Scalar,

    /// <summary><c>System.Runtime.Intrinsics.Vector128&lt;double&gt;</c>.</summary>
    Vector128,

    /// <summary><c>System.Runtime.Intrinsics.Vector256&lt;double&gt;</c>.</summary>
    Vector256,

    /// <summary><c>System.Runtime.Intrinsics.Vector512&lt;double&gt;</c>.</summary>
    Vector512,
}
