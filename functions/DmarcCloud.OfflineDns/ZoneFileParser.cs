using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DmarcCloud.Core.Dns;

namespace DmarcCloud.OfflineDns;

/// <summary>
/// Reads RFC 1035 master files ("zone files") into a <see cref="DnsZone"/>: <c>$ORIGIN</c>, <c>$TTL</c>,
/// <c>@</c>, relative and absolute names, a blank owner meaning the previous owner, optional TTL and class
/// in either order, parentheses spanning lines, <c>;</c> comments, quoted character-strings with
/// <c>\"</c> and <c>\DDD</c> escapes, and the types A, AAAA, MX, TXT (SPF is served as TXT), PTR, CNAME, NS, SOA.
/// </summary>
/// <remarks>
/// RFC 1035 §5.1 (format), §3.3.14 (TXT); RFC 2308 §4 (<c>$TTL</c>); RFC 3596 §2.2 (AAAA); RFC 7208 §3.1
/// (type SPF is no longer used, so its data is offered as TXT). <c>$INCLUDE</c> is reported as unsupported.
/// The zone does not keep TTLs; they are read and checked only.
/// </remarks>
public static class ZoneFileParser
{
    /// <summary>
    /// The longest master file parsed: 1 MiB of text (tens of thousands of records; the files DmarcCloud reads are
    /// test and demo zones). Longer text is one error and an empty zone, before any work.
    /// </summary>
    public const int MaxTextLength = 1024 * 1024;

    /// <summary>Parses master-file text. Errors are returned in the result, with line numbers.</summary>
    /// <param name="text">The master file.</param>
    /// <param name="origin">The origin relative names start from until a <c>$ORIGIN</c> line changes it.</param>
    public static ZoneFileParseResult Parse(string text, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxTextLength)
        {
            return new ZoneFileParseResult(new DnsZone(), [string.Create(CultureInfo.InvariantCulture, $"the zone file is {text.Length} characters, over the limit of {MaxTextLength}")]);
        }

        var zone = new DnsZone();
        var errors = new ErrorList();
        var currentOrigin = origin is null ? null : DnsName.Normalize(origin);
        string? previousOwner = null;
        (string? Word, string? Origin) previousOwnerWord = default;

        // One entry at a time, parsed as soon as it is read: no list of entries, one reused token list, and an error
        // formatted only while the list still keeps errors (a megabyte of two-byte bad lines allocated 222 MB).
        Tokenize(text, errors, (line, blankOwner, tokens) =>
        {
            var error = ParseEntry(line, blankOwner, tokens, zone, ref currentOrigin, ref previousOwner, ref previousOwnerWord, errors);
            if (error is not null)
            {
                errors.Add(line, error);
            }
        });

        return new ZoneFileParseResult(zone, errors.ToList());
    }

    /// <summary>Reads and parses the master file at <paramref name="path"/>.</summary>
    public static async Task<ZoneFileParseResult> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(text);
    }

    private static string? ParseEntry(int line, bool blankOwner, List<Token> tokens, DnsZone zone, ref string? origin, ref string? previousOwner, ref (string? Word, string? Origin) previousOwnerWord, ErrorList errors)
    {
        var first = tokens[0];
        if (!blankOwner && !first.Quoted && first.Value.StartsWith('$'))
        {
            switch (first.Value.ToUpperInvariant())
            {
                case "$ORIGIN":
                    if (tokens.Count != 2 || !tokens[1].Value.EndsWith('.'))
                    {
                        return "$ORIGIN needs one absolute name (ending in '.')";
                    }

                    origin = DnsName.Normalize(tokens[1].Value);
                    return null;
                case "$TTL":
                    return tokens.Count == 2 && TryParseTtl(tokens[1].Value, out _) ? null : "$TTL needs one TTL value";
                case "$INCLUDE":
                    return "$INCLUDE is not supported";
                default:
                    return errors.Full ? ErrorList.NotKept : $"unknown directive {first.Value}";
            }
        }

        var index = 0;
        string owner;
        if (blankOwner)
        {
            if (previousOwner is null)
            {
                return "no previous owner name for a line starting with white space";
            }

            owner = previousOwner;
        }
        else
        {
            // The same owner word under the same origin as the entry before resolves to the same name.
            if (previousOwner is not null && ReferenceEquals(first.Value, previousOwnerWord.Word) && ReferenceEquals(origin, previousOwnerWord.Origin))
            {
                owner = previousOwner;
            }
            else
            {
                var name = ResolveName(first.Value, origin, errors, out var nameError);
                if (name is null)
                {
                    return nameError;
                }

                owner = name;
                previousOwnerWord = (first.Value, origin);
            }

            index = 1;
        }

        previousOwner = owner;

        // [TTL] [class] or [class] [TTL], in either order (RFC 1035 §5.1).
        bool seenTtl = false, seenClass = false;
        while (index < tokens.Count && !tokens[index].Quoted)
        {
            var word = tokens[index].Value;
            if (!seenClass && (word.Equals("IN", StringComparison.OrdinalIgnoreCase)))
            {
                seenClass = true;
            }
            else if (!seenClass && (word.Equals("CH", StringComparison.OrdinalIgnoreCase) || word.Equals("HS", StringComparison.OrdinalIgnoreCase) || word.Equals("CS", StringComparison.OrdinalIgnoreCase)))
            {
                return errors.Full ? ErrorList.NotKept : $"class {word} is not supported (only IN)";
            }
            else if (!seenTtl && word.Length > 0 && char.IsAsciiDigit(word[0]) && TryParseTtl(word, out _))
            {
                seenTtl = true;
            }
            else
            {
                break;
            }

            index++;
        }

        if (index >= tokens.Count)
        {
            return "missing record type";
        }

        var type = tokens[index].Value.ToUpperInvariant();
        return AddRecord(zone, owner, type, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(tokens)[(index + 1)..], origin, errors);
    }

    private static string? AddRecord(DnsZone zone, string owner, string type, ReadOnlySpan<Token> data, string? origin, ErrorList errors)
    {
        switch (type)
        {
            case "A":
            case "AAAA":
            {
                var family = type == "A" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
                if (data.Length != 1 || !IPAddress.TryParse(data[0].Value, out var address) || address.AddressFamily != family
                    || (family == AddressFamily.InterNetwork && data[0].Value.Count(c => c == '.') != 3))
                {
                    return type == "A" ? "A needs one IPv4 address" : "AAAA needs one IPv6 address";
                }

                zone.AddAddress(owner, address);
                return null;
            }

            case "MX":
            {
                if (data.Length != 2 || !ushort.TryParse(data[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var preference))
                {
                    return "MX needs a preference (0-65535) and an exchange name";
                }

                var exchange = ResolveName(data[1].Value, origin, errors, out var error);
                if (exchange is null)
                {
                    return error;
                }

                zone.AddMx(owner, preference, exchange);
                return null;
            }

            case "TXT":
            case "SPF":
                if (data.Length == 0)
                {
                    return type == "TXT" ? "TXT needs at least one character-string" : "SPF needs at least one character-string";
                }

                var strings = new string[data.Length];
                for (var i = 0; i < data.Length; i++)
                {
                    if (Encoding.UTF8.GetByteCount(data[i].Value) > 255)
                    {
                        return "a character-string is longer than 255 octets (RFC 1035 §3.3)";
                    }

                    strings[i] = data[i].Value;
                }

                zone.AddTxt(owner, new TxtRecord(strings));
                return null;

            case "PTR":
            case "CNAME":
            case "NS":
            {
                if (data.Length != 1)
                {
                    return type switch { "PTR" => "PTR needs one domain name", "CNAME" => "CNAME needs one domain name", _ => "NS needs one domain name" };
                }

                var target = ResolveName(data[0].Value, origin, errors, out var error);
                if (target is null)
                {
                    return error;
                }

                var recordType = type switch { "PTR" => DnsRecordType.Ptr, "CNAME" => DnsRecordType.Cname, _ => DnsRecordType.Ns };
                zone.AddName(owner, recordType, target);
                return null;
            }

            case "SOA":
            {
                if (data.Length != 7)
                {
                    return "SOA needs MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM";
                }

                var mname = ResolveName(data[0].Value, origin, errors, out var error);
                var rname = mname is null ? null : ResolveName(data[1].Value, origin, errors, out error);
                if (mname is null || rname is null)
                {
                    return error;
                }

                if (!uint.TryParse(data[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var serial))
                {
                    return "SOA serial must be a number";
                }

                var times = new uint[4];
                for (var i = 0; i < 4; i++)
                {
                    if (!TryParseTtl(data[3 + i].Value, out times[i]))
                    {
                        return errors.Full ? ErrorList.NotKept : $"SOA time value '{data[3 + i].Value}' is not a TTL";
                    }
                }

                zone.AddSoa(owner, string.Create(CultureInfo.InvariantCulture, $"{mname}. {rname}. {serial} {times[0]} {times[1]} {times[2]} {times[3]}"));
                return null;
            }

            default:
                return errors.Full ? ErrorList.NotKept : $"record type {type} is not supported";
        }
    }

    private static string? ResolveName(string value, string? origin, ErrorList errors, out string? error)
    {
        error = null;
        string name;
        if (value == "@")
        {
            if (origin is null)
            {
                error = "'@' used with no $ORIGIN";
                return null;
            }

            name = origin;
        }
        else if (value.EndsWith('.'))
        {
            name = value == "." ? string.Empty : value[..^1];
        }
        else if (origin is null)
        {
            error = errors.Full ? ErrorList.NotKept : $"relative name '{value}' with no $ORIGIN";
            return null;
        }
        else
        {
            name = origin.Length == 0 ? value : value + "." + origin;
        }

        if (name.Length > 253 || (name.Length > 0 && !LabelsValid(name)))
        {
            error = errors.Full ? ErrorList.NotKept : $"'{value}' is not a valid domain name";
            return null;
        }

        return DnsName.Normalize(name);
    }

    /// <summary>Every dot-separated label is 1-63 characters (no copy per label).</summary>
    private static bool LabelsValid(string name)
    {
        var rest = name.AsSpan();
        while (true)
        {
            var dot = rest.IndexOf('.');
            var label = dot < 0 ? rest.Length : dot;
            if (label is 0 or > 63)
            {
                return false;
            }

            if (dot < 0)
            {
                return true;
            }

            rest = rest[(dot + 1)..];
        }
    }

    /// <summary>A TTL: seconds, or BIND units (<c>1h30m</c>, <c>2d</c>, <c>1w</c>).</summary>
    private static bool TryParseTtl(string value, out uint seconds)
    {
        seconds = 0;
        if (value.Length == 0)
        {
            return false;
        }

        if (uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seconds))
        {
            return true;
        }

        ulong total = 0, number = 0;
        var digits = false;
        foreach (var c in value.ToLowerInvariant())
        {
            if (char.IsAsciiDigit(c))
            {
                number = (number * 10) + (ulong)(c - '0');
                digits = true;
                if (number > uint.MaxValue)
                {
                    return false;
                }

                continue;
            }

            ulong unit = c switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, 'w' => 604800, _ => 0 };
            if (unit == 0 || !digits)
            {
                return false;
            }

            total += number * unit;
            number = 0;
            digits = false;
        }

        if (digits || total > uint.MaxValue)
        {
            return false;
        }

        seconds = (uint)total;
        return true;
    }

    /// <summary>Reads the text one entry (a line, or lines joined by parentheses) at a time and hands each to <paramref name="onEntry"/> with a reused token list.</summary>
    private static void Tokenize(string text, ErrorList errors, Action<int, bool, List<Token>> onEntry)
    {
        var tokens = new List<Token>();
        var line = 1;
        var entryLine = 1;
        var depth = 0;
        var blankOwner = false;
        var atLineStart = true;
        var i = 0;
        var sb = new StringBuilder(); // one buffer for every token (a zone of many short records allocated one each)
        var recentWords = new RecentWords();

        void EndEntry()
        {
            if (tokens.Count > 0)
            {
                onEntry(entryLine, blankOwner, tokens);
                tokens.Clear();
            }
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (atLineStart && depth == 0)
            {
                atLineStart = false;
                blankOwner = c is ' ' or '\t';
                entryLine = line;
            }

            switch (c)
            {
                case '\n':
                    line++;
                    i++;
                    if (depth == 0)
                    {
                        EndEntry();
                        atLineStart = true;
                    }

                    continue;
                case ' ' or '\t' or '\r':
                    i++;
                    continue;
                case ';':
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }

                    continue;
                case '(':
                    depth++;
                    i++;
                    continue;
                case ')':
                    if (depth == 0)
                    {
                        errors.Add(line, "')' without '('");
                    }
                    else
                    {
                        depth--;
                    }

                    i++;
                    continue;
            }

            if (tokens.Count == 0)
            {
                entryLine = depth == 0 ? entryLine : line;
            }

            sb.Clear();
            var quoted = c == '"';
            if (quoted)
            {
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    var q = text[i];
                    if (q == '"')
                    {
                        i++;
                        closed = true;
                        break;
                    }

                    if (q == '\n')
                    {
                        line++;
                    }

                    if (q == '\\')
                    {
                        i = ReadEscape(text, i, sb, line, errors);
                        continue;
                    }

                    sb.Append(q);
                    i++;
                }

                if (!closed)
                {
                    errors.Add(line, "unterminated quoted string");
                }
            }
            else
            {
                while (i < text.Length && text[i] is not (' ' or '\t' or '\r' or '\n' or ';' or '(' or ')' or '"'))
                {
                    if (text[i] == '\\')
                    {
                        i = ReadEscape(text, i, sb, line, errors);
                        continue;
                    }

                    sb.Append(text[i]);
                    i++;
                }
            }

            // An unquoted word made only of rejected escapes ("\999") is empty: the error is already recorded, and
            // an empty word would be read as a name or a number below.
            if (quoted || sb.Length > 0)
            {
                tokens.Add(new Token(recentWords.Get(sb), quoted));
            }
        }

        if (depth > 0)
        {
            errors.Add(line, "'(' not closed");
        }

        EndEntry();
    }

    /// <summary>Reads <c>\X</c> (X itself) or <c>\DDD</c> (the octet with that decimal value), RFC 1035 §5.1.</summary>
    private static int ReadEscape(string text, int i, StringBuilder sb, int line, ErrorList errors)
    {
        if (i + 1 >= text.Length)
        {
            errors.Add(line, "'\\' at end of input");
            return i + 1;
        }

        if (i + 3 < text.Length && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && char.IsAsciiDigit(text[i + 3]))
        {
            var value = int.Parse(text.AsSpan(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture);
            if (value > 255)
            {
                errors.Add(line, errors.Full ? ErrorList.NotKept : $"escape \\{text.AsSpan(i + 1, 3)} is above 255");
            }
            else
            {
                sb.Append((char)value);
            }

            return i + 4;
        }

        sb.Append(text[i + 1]);
        return i + 2;
    }

    /// <summary>
    /// The first <see cref="MaxErrors"/> errors, and a count of the rest: a hostile file cannot grow it without bound.
    /// Once it is full, callers pass <see cref="NotKept"/> instead of formatting a message nobody will read.
    /// </summary>
    private sealed class ErrorList
    {
        /// <summary>The message given for an error that will only be counted.</summary>
        public const string NotKept = "";

        private const int MaxErrors = 100;
        private readonly List<string> _errors = [];
        private int _dropped;

        public bool Full => _errors.Count >= MaxErrors;

        /// <summary>Records "line N: message" (formatted only when kept).</summary>
        public void Add(int line, string message)
        {
            if (!Full)
            {
                _errors.Add(string.Create(CultureInfo.InvariantCulture, $"line {line}: {message}"));
            }
            else
            {
                _dropped++;
            }
        }

        public List<string> ToList() =>
            _dropped == 0 ? _errors : [.. _errors, string.Create(CultureInfo.InvariantCulture, $"{_dropped} more errors not listed")];
    }

    private readonly record struct Token(string Value, bool Quoted);

    /// <summary>The last few words read: a word equal to one of them reuses its string (owners, types and classes repeat line after line).</summary>
    private sealed class RecentWords
    {
        private readonly string?[] _words = new string?[4];
        private int _next;

        public string Get(StringBuilder sb)
        {
            foreach (var word in _words)
            {
                if (word is not null && sb.Equals(word.AsSpan()))
                {
                    return word;
                }
            }

            var made = sb.ToString();
            _words[_next] = made;
            _next = (_next + 1) % _words.Length;
            return made;
        }
    }
}
