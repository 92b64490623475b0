using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.LocalHost.Configuration;
using DmarcCloud.LocalHost.Protocol;

namespace DmarcCloud.LocalHost.Bindings;

/// <summary>
/// Writes a successful invocation's outputs as the host's bindings do: a JSON array sends one item per
/// element (serviceBus, queue, table); table items need PartitionKey and RowKey and are inserted (the table
/// output binding only creates entities: an existing key fails the invocation); a top-level string for an
/// output without <c>dataType: binary</c> is base64-decoded when it is valid base64 (the host's trap).
/// </summary>
public sealed class OutputWriter(LocalStorage storage, Action<string> log)
{
    /// <summary>Writes every output of <paramref name="response"/>; returns how many items were written.</summary>
    /// <exception cref="OutputBindingException">An output could not be written (the invocation then fails).</exception>
    public async Task<int> WriteAsync(FunctionMetadata function, HandlerResponse response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(response);
        var written = 0;
        foreach (var binding in function.Outputs)
        {
            JsonElement value;
            if (binding.Name == "$return")
            {
                if (response.ReturnValue is not { } returned)
                {
                    continue;
                }

                value = returned;
            }
            else if (!response.Outputs.TryGetValue(binding.Name, out value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            written += await WriteBindingAsync(function, binding, value, cancellationToken).ConfigureAwait(false);
        }

        foreach (var name in response.Outputs.Keys.Where(k => !function.Outputs.Any(b => string.Equals(b.Name, k, StringComparison.OrdinalIgnoreCase))))
        {
            log($"{function.Name}: output '{name}' matches no output binding in function.json; ignored (the host ignores it too)");
        }

        return written;
    }

    private async Task<int> WriteBindingAsync(FunctionMetadata function, BindingMetadata binding, JsonElement value, CancellationToken cancellationToken)
    {
        switch (binding.Type.ToLowerInvariant())
        {
            case "servicebus":
                {
                    var queue = binding.Get("queueName") ?? binding.Get("topicName") ?? throw new OutputBindingException($"{function.Name}: serviceBus output '{binding.Name}' has no queueName.");
                    var items = Items(binding, value);
                    foreach (var item in items)
                    {
                        await storage.SendAsync(queue, new LocalServiceBusEnvelope { Body = item }, cancellationToken).ConfigureAwait(false);
                    }

                    return items.Count;
                }

            case "queue":
                {
                    var name = binding.Require("queueName");
                    var client = new QueueClient(storage.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
                    await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    var items = Items(binding, value);
                    foreach (var item in items)
                    {
                        await client.SendMessageAsync(new BinaryData(item), cancellationToken: cancellationToken).ConfigureAwait(false);
                    }

                    return items.Count;
                }

            case "table":
                {
                    var table = await storage.TableAsync(binding.Require("tableName"), cancellationToken).ConfigureAwait(false);
                    var entities = value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : new List<JsonElement> { value };
                    foreach (var element in entities)
                    {
                        var entity = ToEntity(function, binding, element);
                        try
                        {
                            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                        }
                        catch (global::Azure.RequestFailedException e) when (e.Status == 409)
                        {
                            throw new OutputBindingException($"{function.Name}: table output '{binding.Name}': entity ({entity.PartitionKey}, {entity.RowKey}) already exists in {table.Name}; the table output binding only inserts.", e);
                        }
                    }

                    return entities.Count;
                }

            case "blob":
                {
                    var path = ExpandPath(binding.Require("path"));
                    var slash = path.IndexOf('/', StringComparison.Ordinal);
                    if (slash <= 0)
                    {
                        throw new OutputBindingException($"{function.Name}: blob output path '{path}' is not <container>/<blob>.");
                    }

                    var container = await storage.ContainerAsync(path[..slash], cancellationToken).ConfigureAwait(false);
                    var bytes = Single(binding, value);
                    await container.GetBlobClient(path[(slash + 1)..]).UploadAsync(new BinaryData(bytes), overwrite: true, cancellationToken).ConfigureAwait(false);
                    return 1;
                }

            case "http":
                return 0; // answered by the HTTP front end

            default:
                log($"{function.Name}: output binding type '{binding.Type}' is not emulated by the local runner; '{binding.Name}' dropped");
                return 0;
        }
    }

    /// <summary>The items an output value sends: one per array element, else the value itself.</summary>
    internal static IReadOnlyList<byte[]> Items(BindingMetadata binding, JsonElement value) =>
        value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(ItemBytes)]
            : [Single(binding, value)];

    /// <summary>A non-array value: a string is base64-decoded when it decodes (unless dataType binary says it must), else UTF-8.</summary>
    internal static byte[] Single(BindingMetadata binding, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (TryBase64(text, out var bytes))
            {
                return bytes;
            }

            if (binding.IsBinary)
            {
                throw new OutputBindingException($"output '{binding.Name}' has dataType binary but its value is not base64");
            }

            return Encoding.UTF8.GetBytes(text);
        }

        return ItemBytes(value);
    }

    private static byte[] ItemBytes(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => Encoding.UTF8.GetBytes(element.GetString()!),
        _ => Encoding.UTF8.GetBytes(element.GetRawText()),
    };

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[text.Length * 3 / 4];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            bytes = buffer[..written];
            return true;
        }

        return false;
    }

    internal static TableEntity ToEntity(FunctionMetadata function, BindingMetadata binding, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new OutputBindingException($"{function.Name}: table output '{binding.Name}' items must be JSON objects, got {element.ValueKind}.");
        }

        var entity = new TableEntity();
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Null:
                    break;
                case JsonValueKind.String:
                    entity[property.Name] = property.Value.GetString();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    entity[property.Name] = property.Value.GetBoolean();
                    break;
                case JsonValueKind.Number when property.Value.TryGetInt32(out var i):
                    entity[property.Name] = i;
                    break;
                case JsonValueKind.Number when property.Value.TryGetInt64(out var l):
                    entity[property.Name] = l;
                    break;
                case JsonValueKind.Number:
                    entity[property.Name] = property.Value.GetDouble();
                    break;
                default:
                    entity[property.Name] = property.Value.GetRawText();
                    break;
            }
        }

        if (string.IsNullOrEmpty(entity.PartitionKey) || entity.RowKey is null)
        {
            throw new OutputBindingException($"{function.Name}: table output '{binding.Name}' item without PartitionKey and RowKey.");
        }

        return entity;
    }

    private static string ExpandPath(string path) => path
        .Replace("{rand-guid}", Guid.NewGuid().ToString(), StringComparison.OrdinalIgnoreCase)
        .Replace("{sys.randguid}", Guid.NewGuid().ToString(), StringComparison.OrdinalIgnoreCase)
        .Replace("{DateTime}", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH-mm-ss", CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase);
}
