using System.Buffers;
using System.Text;
using System.Text.Json;
using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Cli.Commands;

/// <summary>
/// <c>ingest --json</c> output written as it is produced (drained to the output every 64 KiB), never held whole. A
/// file's reports are printed from its records as buffered during the reading when they are few
/// (<see cref="BufferedRecordsPerFile"/>); a file with more is read a second time and each report's records are
/// streamed into its object as they are parsed (<see cref="StreamItems"/>), so the JSON is the same either way and
/// memory stays bounded by one record.
/// </summary>
internal sealed class JsonReportWriter : IDisposable
{
    /// <summary>Most records of one file kept for printing after its reading; above it the file is streamed.</summary>
    internal const int BufferedRecordsPerFile = 10_000;

    private const int DrainBytes = 64 * 1024;

    private readonly TextWriter _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(DrainBytes * 2);
    private readonly Utf8JsonWriter _writer;
    private bool _arrayStarted;

    public JsonReportWriter(TextWriter output)
    {
        _output = output;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = true });
    }

    public void StartArray()
    {
        if (!_arrayStarted)
        {
            _arrayStarted = true;
            _writer.WriteStartArray();
        }
    }

    /// <summary>Closes the array (when one was started) and writes everything out.</summary>
    public void EndArray()
    {
        if (_arrayStarted)
        {
            _writer.WriteEndArray();
            Drain(force: true);
            _output.WriteLine();
        }
    }

    /// <summary><c>{"error": reason}</c> (with the file when given).</summary>
    public void WriteError(string reason, string? file = null)
    {
        ReportJson.WriteError(_writer, reason, file);
        Drain(force: !_arrayStarted);
    }

    /// <summary>Record buffers for one file's reading.</summary>
    public RecordBuffers NewBuffers() => new();

    /// <summary>Writes a file's items, aggregate reports with their buffered records.</summary>
    public void WriteItems(IEnumerable<ReceivedReport> items, RecordBuffers buffers, string file)
    {
        foreach (var item in items)
        {
            var write = item.Aggregate is { } aggregate && buffers.Of(item.Origin) is { } records
                ? item with { Aggregate = aggregate with { Records = records } }
                : item;
            ReportJson.Write(_writer, write, file);
            Drain();
        }
    }

    /// <summary>Writes a file's items while the file is read again: hand <see cref="Streaming.For"/> to the reader.</summary>
    public Streaming StreamItems(IReadOnlyList<ReceivedReport> items, string file) => new(this, items, file);

    public void Dispose()
    {
        Drain(force: true);
        _writer.Dispose();
    }

    private void Drain(bool force = false)
    {
        if (!force && _writer.BytesPending + _buffer.WrittenCount < DrainBytes)
        {
            return;
        }

        _writer.Flush();
        if (_buffer.WrittenCount > 0)
        {
            _output.Write(Encoding.UTF8.GetString(_buffer.WrittenSpan));
            if (force && !_arrayStarted)
            {
                _output.WriteLine();
            }

            _buffer.ResetWrittenCount();
        }
    }

    /// <summary>The records of one file's reports, by origin, kept until <see cref="BufferedRecordsPerFile"/> are reached.</summary>
    internal sealed class RecordBuffers
    {
        private readonly Dictionary<string, List<AggregateRecord>> _byOrigin = new(StringComparer.Ordinal);
        private int _count;

        /// <summary>Whether the file had more records than are kept (then none are).</summary>
        public bool Overflowed { get; private set; }

        public Action<AggregateRecord> For(string origin)
        {
            var records = new List<AggregateRecord>();
            _byOrigin[origin] = records;
            return record =>
            {
                if (Overflowed)
                {
                    return;
                }

                if (++_count > BufferedRecordsPerFile)
                {
                    Overflowed = true;
                    _byOrigin.Clear();
                    return;
                }

                records.Add(record);
            };
        }

        public IReadOnlyList<AggregateRecord>? Of(string origin) => _byOrigin.GetValueOrDefault(origin);
    }

    /// <summary>
    /// The second reading of a file whose records were too many to buffer: items are written in order; an aggregate
    /// report's object is opened when the reader starts its document (its header from the first reading), its records
    /// written as they are parsed, and it is closed when the next document starts or the reading ends.
    /// </summary>
    internal sealed class Streaming : IDisposable
    {
        private readonly JsonReportWriter _owner;
        private readonly IReadOnlyList<ReceivedReport> _items;
        private readonly string _file;
        private int _next;
        private JsonElement? _openTail;

        public Streaming(JsonReportWriter owner, IReadOnlyList<ReceivedReport> items, string file)
        {
            _owner = owner;
            _items = items;
            _file = file;
        }

        /// <summary>The record sink of the document at <paramref name="origin"/> (the reader's sink factory).</summary>
        public Action<AggregateRecord>? For(string origin)
        {
            Close();
            var index = -1;
            for (var i = _next; i < _items.Count; i++)
            {
                if (_items[i].Origin == origin)
                {
                    index = i;
                    break;
                }
            }

            if (index < 0 || _items[index].Aggregate is not { } aggregate)
            {
                return null; // Rejected part-way in the first reading: written as its error when passed.
            }

            WriteUpTo(index);
            _next = index + 1;
            var writer = _owner._writer;
            var header = JsonSerializer.SerializeToElement(aggregate with { Records = [] }, ReportJsonContext.Default.AggregateReport);
            writer.WriteStartObject();
            foreach (var property in header.EnumerateObject())
            {
                if (property.NameEquals("records"))
                {
                    break;
                }

                property.WriteTo(writer);
            }

            // The properties after "records" (warnings) are written when the object closes.
            _openTail = header;
            writer.WritePropertyName("records");
            writer.WriteStartArray();
            return record =>
            {
                JsonSerializer.Serialize(writer, record, ReportJsonContext.Default.AggregateRecord);
                _owner.Drain();
            };
        }

        public void Dispose()
        {
            Close();
            WriteUpTo(_items.Count);
            _next = _items.Count;
        }

        private void Close()
        {
            if (_openTail is not { } tail)
            {
                return;
            }

            var writer = _owner._writer;
            writer.WriteEndArray();
            var after = false;
            foreach (var property in tail.EnumerateObject())
            {
                if (after)
                {
                    property.WriteTo(writer);
                }

                after |= property.NameEquals("records");
            }

            writer.WriteEndObject();
            _openTail = null;
            _owner.Drain();
        }

        private void WriteUpTo(int end)
        {
            for (; _next < end; _next++)
            {
                // Not streamed: failure reports and rejected items (an aggregate report is only here when the second
                // reading did not find it again, i.e. the file changed in between; it is printed without records).
                ReportJson.Write(_owner._writer, _items[_next], _file);
                _owner.Drain();
            }
        }
    }
}
