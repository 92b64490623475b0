using System.Text;
using MimeKit.Cryptography;

namespace DmarcCloud.Core.Tests.Evaluation;

/// <summary>
/// Reads an Authentication-Results header value with MimeKit's parser, so that conformance tests compare
/// expected and actual headers without using the parser under test.
/// </summary>
internal sealed record IndependentAuthResults(string? AuthServId, IReadOnlyList<IndependentAuthResults.MethodResult> Results)
{
    /// <summary>One <c>method=result</c> with its <c>ptype.property=value</c> pairs.</summary>
    internal sealed record MethodResult(string Method, string ResultValue, IReadOnlyDictionary<string, string> Properties)
    {
        /// <summary>The result token (<c>pass</c>, <c>fail</c>, …).</summary>
        public string Result => ResultValue;

        /// <summary>The value of <c>ptype.property</c>, or null.</summary>
        public string? Property(string name) => Properties.TryGetValue(name, out var value) ? value : null;
    }

    public static IndependentAuthResults Parse(string value)
    {
        const string FieldName = "Authentication-Results:";
        if (value.StartsWith(FieldName, StringComparison.OrdinalIgnoreCase))
        {
            value = value[FieldName.Length..];
        }

        var parsed = AuthenticationResults.Parse(Encoding.UTF8.GetBytes(value));
        var results = parsed.Results.Select(r => new MethodResult(
            r.Method.ToLowerInvariant(),
            r.Result.ToLowerInvariant(),
            r.Properties
                .GroupBy(p => $"{p.PropertyType}.{p.Property}".ToLowerInvariant())
                .ToDictionary(g => g.Key, g => g.First().Value))).ToList();
        return new IndependentAuthResults(parsed.AuthenticationServiceIdentifier, results);
    }
}
