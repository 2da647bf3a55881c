using System.Collections.Generic;

namespace MeanField.Generators.Pipeline;

/// <summary>The members the generated part of every model declares in the user's type (Emit/FileSkeleton writes them).</summary>
internal static class GeneratedMembers
{
    /// <summary>Each name and what it is: a user member of that name is MF0017, a type of that name MF0019.</summary>
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["Derivation"] = "the derived formulas as text",
        ["Formulas"] = "the derived formulas, one per quantity",
        ["MeanFieldGeneratedFormulas"] = "a generated field",
        ["MeanFieldGeneratedLayout"] = "a generated field",
    };
}
