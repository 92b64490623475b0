namespace DmarcCloud.Functions;

/// <summary>
/// Turns the host's storage setting (<c>AzureWebJobsStorage</c>) into the configuration
/// <c>Microsoft.Extensions.Azure</c> builds a Blob/Queue/Table service client from, so the app's own clients use the
/// same account and identity as the host and no second set of settings can drift:
/// a connection string (local, Azurite) → <c>connectionString</c>; <c>__{service}ServiceUri</c> (or
/// <c>__accountName</c>) + <c>__credential</c> + <c>__clientId</c> (Azure) → <c>serviceUri</c>, <c>credential</c>,
/// <c>clientId</c>. No key or connection string is needed in Azure.
/// </summary>
internal static class StorageClientConfiguration
{
    /// <summary>The client configuration of <paramref name="service"/> (<c>blob</c>, <c>queue</c> or <c>table</c>).</summary>
    public static IConfiguration For(IConfiguration configuration, string service)
    {
        var section = configuration.GetSection(Azure.ResourceNames.StorageConnection);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            values["connectionString"] = section.Value;
        }
        else
        {
            var serviceUri = section[$"{service}ServiceUri"];
            if (string.IsNullOrWhiteSpace(serviceUri) && section["accountName"] is { Length: > 0 } account)
            {
                serviceUri = $"https://{account}.{service}.core.windows.net";
            }

            if (string.IsNullOrWhiteSpace(serviceUri))
            {
                throw new InvalidOperationException(
                    $"{Azure.ResourceNames.StorageConnection} is not set: give a connection string, or __{service}ServiceUri (or __accountName) with __credential=managedidentity and __clientId");
            }

            values["serviceUri"] = serviceUri;
            values["credential"] = section["credential"];
            values["clientId"] = section["clientId"];
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
