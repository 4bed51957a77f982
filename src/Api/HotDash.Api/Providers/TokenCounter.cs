using Microsoft.ML.Tokenizers;

namespace HotDash.Api.Providers;

/// <summary>Counts tokens with the real o200k_base tokenizer (GPT-4o's), fully offline.</summary>
internal sealed class TokenCounter
{
    private readonly Lazy<Tokenizer> tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads the vocabulary now rather than on the first request.</summary>
    public void WarmUp() => _ = tokenizer.Value;

    public int Count(string text) => text.Length == 0 ? 0 : tokenizer.Value.CountTokens(text);

    public int Count(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : tokenizer.Value.CountTokens(text);

    /// <summary>The first <paramref name="maxTokens"/> tokens of <paramref name="text"/>.</summary>
    public string Truncate(string text, int maxTokens)
    {
        var index = tokenizer.Value.GetIndexByTokenCount(text, maxTokens, out _, out _);
        return text[..index];
    }
}
