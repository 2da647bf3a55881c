using System;
using System.Text;

namespace MeanField.Generators.Helpers;

/// <summary>
/// Writes C# text line by line with indentation; <see cref="WriteBlock"/> opens a brace scope that closes
/// when disposed. Lines always end in '\n' so generated files do not depend on the host OS.
/// </summary>
internal sealed class IndentedTextWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder builder = new();
    private int depth;

    /// <summary>Writes one line at the current indentation (an empty line has no indentation).</summary>
    public void WriteLine(string text = "")
    {
        if (text.Length > 0)
        {
            for (int i = 0; i < depth; i++)
            {
                builder.Append(IndentUnit);
            }

            builder.Append(text);
        }

        builder.Append('\n');
    }

    /// <summary>Writes each line of a multi-line text at the current indentation.</summary>
    public void WriteLines(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            WriteLine(line);
        }
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents until the scope is disposed.</summary>
    public Block WriteBlock(string header)
    {
        WriteLine(header);
        WriteLine("{");
        depth++;
        return new Block(this);
    }

    /// <inheritdoc/>
    public override string ToString() => builder.ToString();

    /// <summary>The scope of an open block.</summary>
    public readonly struct Block : IDisposable
    {
        private readonly IndentedTextWriter writer;

        internal Block(IndentedTextWriter writer) => this.writer = writer;

        /// <summary>Closes the block.</summary>
        public void Dispose()
        {
            writer.depth--;
            writer.WriteLine("}");
        }
    }
}
