using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace DmarcCloud.Infra.Tests.Arm;

/// <summary>
/// A small evaluator for the ARM template expression language, enough to read what a compiled Bicep
/// template deploys (names, copy loops, app settings) without Azure. Values that exist only at
/// deployment time (reference(), uniqueString(), resourceGroup(), ...) evaluate to
/// <see cref="Runtime"/>, and text built from them contains that marker.
/// </summary>
internal static class ArmExpression
{
    /// <summary>Marker for a value known only during a deployment.</summary>
    public const string Runtime = "{runtime}";

    /// <summary>Evaluates a template value: expressions in strings, recursively inside objects and arrays.</summary>
    public static object? EvaluateNode(JsonNode? node, ArmScope scope) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, ToNode(EvaluateNode(p.Value, scope))))),
        JsonArray arr => new JsonArray(arr.Select(v => ToNode(EvaluateNode(v, scope))).ToArray()),
        JsonValue value when value.TryGetValue<string>(out var text) => EvaluateString(text, scope),
        _ => node.DeepClone(),
    };

    /// <summary>Evaluates a string that may be an expression ("[...]"; "[[" escapes a literal bracket).</summary>
    public static object? EvaluateString(string text, ArmScope scope)
    {
        if (text.Length >= 2 && text[0] == '[' && text[^1] == ']')
        {
            if (text.StartsWith("[[", StringComparison.Ordinal))
            {
                return JsonValue.Create(text[1..]);
            }

            var parser = new Parser(text[1..^1]);
            var ast = parser.ParseAll();
            return Evaluate(ast, scope);
        }

        return JsonValue.Create(text);
    }

    /// <summary>Converts an evaluated value to a detached JSON node (lambdas are not values).</summary>
    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.Parent is null ? node : node.DeepClone(),
        Lambda => throw new InvalidOperationException("a lambda is not a JSON value"),
        _ => JsonValue.Create(value.ToString()),
    };

    public static string? AsString(object? value) => value switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "True" : "False",
        JsonNode n => n.ToJsonString(),
        _ => value.ToString(),
    };

    public static bool IsRuntime(object? value) => AsString(value)?.Contains(Runtime, StringComparison.Ordinal) == true;

    private static object? Evaluate(Node node, ArmScope scope) => node switch
    {
        Literal lit => lit.Value is null ? null : JsonValue.Create(lit.Value),
        Property prop => Member(Evaluate(prop.Target, scope), prop.Name),
        Index idx => IndexInto(Evaluate(idx.Target, scope), Evaluate(idx.Key, scope)),
        Call call => Invoke(call, scope),
        _ => throw new InvalidOperationException($"unknown node {node}"),
    };

    private static object? Member(object? target, string name)
    {
        if (target is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return value;
                }
            }

            throw new InvalidOperationException($"property '{name}' not found in {obj.ToJsonString()}");
        }

        return JsonValue.Create(Runtime);
    }

    private static object? IndexInto(object? target, object? key)
    {
        if (target is JsonArray arr && key is JsonValue k)
        {
            if (k.TryGetValue<int>(out var i))
            {
                return arr[i];
            }

            if (k.TryGetValue<long>(out var l))
            {
                return arr[checked((int)l)];
            }
        }

        if (target is JsonObject && AsString(key) is { } name)
        {
            return Member(target, name);
        }

        return JsonValue.Create(Runtime);
    }

    private static object? Invoke(Call call, ArmScope scope)
    {
        var name = call.Name.ToLowerInvariant();
        switch (name)
        {
            case "lambda":
                return new Lambda(call.Args.Take(call.Args.Count - 1).Select(a => ((Literal)a).Value!.ToString()!).ToArray(), call.Args[^1], scope);
            case "if":
                {
                    var condition = Evaluate(call.Args[0], scope);
                    if (condition is JsonValue c && c.TryGetValue<bool>(out var b))
                    {
                        return Evaluate(call.Args[b ? 1 : 2], scope);
                    }

                    return JsonValue.Create(Runtime);
                }
        }

        var args = call.Args.Select(a => Evaluate(a, scope)).ToList();
        switch (name)
        {
            case "parameters": return scope.Parameter(AsString(args[0])!);
            case "variables": return scope.Variable(AsString(args[0])!);
            case "lambdavariables": return scope.LambdaVariable(AsString(args[0])!);
            case "copyindex":
                return JsonValue.Create(scope.CopyIndex + (args.Count > 0 && args[0] is JsonValue offset && offset.TryGetValue<int>(out var off) ? off : 0));
            case "createobject":
                {
                    var obj = new JsonObject();
                    for (var i = 0; i + 1 < args.Count; i += 2)
                    {
                        obj[AsString(args[i])!] = ToNode(args[i + 1]);
                    }

                    return obj;
                }

            case "createarray": return new JsonArray(args.Select(ToNode).ToArray());
            case "union": return Union(args);
            case "concat":
                if (args.All(a => a is JsonArray))
                {
                    return new JsonArray(args.SelectMany(a => ((JsonArray)a!).Select(v => v?.DeepClone())).ToArray());
                }

                return JsonValue.Create(string.Concat(args.Select(AsString)));
            case "format": return JsonValue.Create(Format(AsString(args[0])!, args.Skip(1).ToList()));
            case "string": return args[0] is JsonValue sv && sv.TryGetValue<string>(out var s0) ? JsonValue.Create(s0) : JsonValue.Create(AsString(args[0]));
            case "tolower": return JsonValue.Create(AsString(args[0])?.ToLowerInvariant());
            case "toupper": return JsonValue.Create(AsString(args[0])?.ToUpperInvariant());
            case "length":
                return args[0] switch
                {
                    JsonArray la => JsonValue.Create(la.Count),
                    JsonObject lo => JsonValue.Create(lo.Count),
                    _ when !IsRuntime(args[0]) => JsonValue.Create(AsString(args[0])?.Length ?? 0),
                    _ => JsonValue.Create(Runtime),
                };
            case "empty":
                return args[0] switch
                {
                    null => JsonValue.Create(true),
                    JsonArray ea => JsonValue.Create(ea.Count == 0),
                    JsonObject eo => JsonValue.Create(eo.Count == 0),
                    _ when IsRuntime(args[0]) => JsonValue.Create(Runtime),
                    _ => JsonValue.Create(string.IsNullOrEmpty(AsString(args[0]))),
                };
            case "not":
                return args[0] is JsonValue nb && nb.TryGetValue<bool>(out var nbv) ? JsonValue.Create(!nbv) : JsonValue.Create(Runtime);
            case "equals":
                return IsRuntime(args[0]) || IsRuntime(args[1])
                    ? JsonValue.Create(Runtime)
                    : JsonValue.Create(string.Equals(AsString(args[0]), AsString(args[1]), StringComparison.Ordinal));
            case "mul":
            case "add":
                if (args[0] is JsonValue x && x.TryGetValue<long>(out var xl) && args[1] is JsonValue y && y.TryGetValue<long>(out var yl))
                {
                    return JsonValue.Create(name == "mul" ? xl * yl : xl + yl);
                }

                return JsonValue.Create(Runtime);
            case "map":
                return new JsonArray(Items(args[0]).Select(item => ToNode(((Lambda)args[1]!).Invoke(item))).ToArray());
            case "filter":
                return new JsonArray(Items(args[0])
                    .Where(item => ((Lambda)args[1]!).Invoke(item) is JsonValue keep && keep.TryGetValue<bool>(out var k) && k)
                    .Select(item => item?.DeepClone()).ToArray());
            case "toobject":
                {
                    var obj = new JsonObject();
                    foreach (var item in Items(args[0]))
                    {
                        var key = AsString(((Lambda)args[1]!).Invoke(item))!;
                        obj[key] = args.Count > 2 ? ToNode(((Lambda)args[2]!).Invoke(item)) : item?.DeepClone();
                    }

                    return obj;
                }

            case "resourceid":
                return JsonValue.Create(ResourceId($"/subscriptions/{Runtime}/resourceGroups/{Runtime}", args));
            case "subscriptionresourceid":
                return JsonValue.Create(ResourceId($"/subscriptions/{Runtime}", args));
            case "guid":
                return JsonValue.Create($"guid({string.Join(", ", args.Select(AsString))})");
            default:
                // reference(), uniqueString(), subscription(), resourceGroup(), tenant(), list*() ...
                return JsonValue.Create(Runtime);
        }
    }

    private static IEnumerable<JsonNode?> Items(object? value) =>
        value as JsonArray ?? throw new InvalidOperationException($"expected an array, got {AsString(value)}");

    private static string ResourceId(string prefix, List<object?> args)
    {
        var type = AsString(args[0])!.Split('/');
        var names = args.Skip(1).Select(a => AsString(a) ?? Runtime).ToList();
        var sb = new StringBuilder(prefix).Append("/providers/").Append(type[0]);
        for (var i = 1; i < type.Length; i++)
        {
            sb.Append('/').Append(type[i]).Append('/').Append(i - 1 < names.Count ? names[i - 1] : Runtime);
        }

        return sb.ToString();
    }

    private static JsonNode Union(List<object?> args)
    {
        if (args.All(a => a is JsonArray))
        {
            var seen = new List<JsonNode?>();
            foreach (var item in args.SelectMany(a => (JsonArray)a!))
            {
                if (!seen.Any(s => JsonNode.DeepEquals(s, item)))
                {
                    seen.Add(item?.DeepClone());
                }
            }

            return new JsonArray(seen.ToArray());
        }

        var result = new JsonObject();
        foreach (var arg in args)
        {
            if (arg is not JsonObject obj)
            {
                return JsonValue.Create(Runtime);
            }

            foreach (var (key, value) in obj)
            {
                result[key] = value?.DeepClone();
            }
        }

        return result;
    }

    private static string Format(string format, List<object?> args)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] == '{' && i + 1 < format.Length && format[i + 1] == '{')
            {
                sb.Append('{');
                i++;
            }
            else if (format[i] == '}' && i + 1 < format.Length && format[i + 1] == '}')
            {
                sb.Append('}');
                i++;
            }
            else if (format[i] == '{')
            {
                var end = format.IndexOf('}', i);
                var index = int.Parse(format[(i + 1)..end].Split(':')[0], CultureInfo.InvariantCulture);
                sb.Append(AsString(args[index]) ?? string.Empty);
                i = end;
            }
            else
            {
                sb.Append(format[i]);
            }
        }

        return sb.ToString();
    }

    /// <summary>A lambda value: parameter names, body, and the scope it closes over.</summary>
    internal sealed record Lambda(string[] Names, Node Body, ArmScope Scope)
    {
        public object? Invoke(params JsonNode?[] values)
        {
            var inner = Scope;
            for (var i = 0; i < Names.Length; i++)
            {
                inner = inner.WithLambdaVariable(Names[i], values[i]);
            }

            return Evaluate(Body, inner);
        }
    }

    internal abstract record Node;

    private sealed record Literal(object? Value) : Node;

    private sealed record Call(string Name, IReadOnlyList<Node> Args) : Node;

    private sealed record Property(Node Target, string Name) : Node;

    private sealed record Index(Node Target, Node Key) : Node;

    private sealed class Parser(string text)
    {
        private int _pos;

        public Node ParseAll()
        {
            var node = ParseExpression();
            SkipSpace();
            if (_pos != text.Length)
            {
                throw new FormatException($"unexpected '{text[_pos..]}' in expression [{text}]");
            }

            return node;
        }

        private Node ParseExpression()
        {
            var node = ParsePrimary();
            while (true)
            {
                SkipSpace();
                if (Peek('.'))
                {
                    _pos++;
                    node = new Property(node, ReadIdentifier());
                }
                else if (Peek('['))
                {
                    _pos++;
                    var key = ParseExpression();
                    Expect(']');
                    node = new Index(node, key);
                }
                else
                {
                    return node;
                }
            }
        }

        private Node ParsePrimary()
        {
            SkipSpace();
            if (Peek('\''))
            {
                return new Literal(ReadString());
            }

            if (char.IsDigit(text[_pos]) || text[_pos] == '-')
            {
                var start = _pos++;
                while (_pos < text.Length && char.IsDigit(text[_pos]))
                {
                    _pos++;
                }

                return new Literal(long.Parse(text[start.._pos], CultureInfo.InvariantCulture));
            }

            var name = ReadIdentifier();
            SkipSpace();
            if (!Peek('('))
            {
                return name switch
                {
                    "true" => new Literal(true),
                    "false" => new Literal(false),
                    "null" => new Literal(null),
                    _ => throw new FormatException($"bare identifier '{name}' in [{text}]"),
                };
            }

            _pos++;
            var args = new List<Node>();
            SkipSpace();
            if (Peek(')'))
            {
                _pos++;
                return new Call(name, args);
            }

            while (true)
            {
                args.Add(ParseExpression());
                SkipSpace();
                if (Peek(','))
                {
                    _pos++;
                    continue;
                }

                Expect(')');
                return new Call(name, args);
            }
        }

        private string ReadString()
        {
            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= text.Length)
                {
                    throw new FormatException($"unterminated string in [{text}]");
                }

                if (text[_pos] == '\'')
                {
                    if (_pos + 1 < text.Length && text[_pos + 1] == '\'')
                    {
                        sb.Append('\'');
                        _pos += 2;
                        continue;
                    }

                    _pos++;
                    return sb.ToString();
                }

                sb.Append(text[_pos++]);
            }
        }

        private string ReadIdentifier()
        {
            SkipSpace();
            var start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_' || text[_pos] == '$' || text[_pos] == '#'))
            {
                _pos++;
            }

            if (start == _pos)
            {
                throw new FormatException($"expected an identifier at {_pos} in [{text}]");
            }

            return text[start.._pos];
        }

        private bool Peek(char c) => _pos < text.Length && text[_pos] == c;

        private void Expect(char c)
        {
            SkipSpace();
            if (!Peek(c))
            {
                throw new FormatException($"expected '{c}' at {_pos} in [{text}]");
            }

            _pos++;
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }
    }
}
