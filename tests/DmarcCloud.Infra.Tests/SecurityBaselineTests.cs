using System.Text.Json.Nodes;
using DmarcCloud.Infra.Tests.Arm;

namespace DmarcCloud.Infra.Tests;

/// <summary>The compiled template keeps the security baseline: no keys, TLS 1.2, identity everywhere, least-privilege roles.</summary>
public sealed class SecurityBaselineTests
{
    private static readonly Lazy<Task<(JsonObject Json, TemplateInventory Inventory)>> Template = new(async () =>
    {
        var json = await BicepCli.CompiledMainAsync();
        return (json, TemplateInventory.From(json));
    });

    /// <summary>Role definitions wider than any DmarcCloud identity needs.</summary>
    public static TheoryData<string, string> BroadRoles() => new()
    {
        { "Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" },
        { "Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c" },
        { "Storage Account Contributor", "17d1049b-9a84-46fb-8f53-869881c3d3ab" },
        { "Azure Service Bus Data Owner", "090c5cfd-751d-490a-894a-3ce6f1109419" },
        { "Storage Queue Data Contributor", TemplateInventory.StorageQueueDataContributor },
        { "Key Vault Administrator", "00482a5a-887f-4fb3-b363-3b7fe8e74483" },
        { "User Access Administrator", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9" },
    };

    public static TheoryData<string, string> AppIdentityRoles() => new()
    {
        { "Storage Blob Data Owner", TemplateInventory.StorageBlobDataOwner },
        { "Storage Table Data Contributor", TemplateInventory.StorageTableDataContributor },
        { "Azure Service Bus Data Receiver", TemplateInventory.ServiceBusDataReceiver },
        { "Azure Service Bus Data Sender", TemplateInventory.ServiceBusDataSender },
        { "Storage Queue Data Reader", TemplateInventory.StorageQueueDataReader },
        { "Storage Queue Data Message Processor", TemplateInventory.StorageQueueDataMessageProcessor },
        { "Storage Queue Data Message Sender", TemplateInventory.StorageQueueDataMessageSender },
        { "Monitoring Metrics Publisher", TemplateInventory.MonitoringMetricsPublisher },
        { "Key Vault Secrets User", TemplateInventory.KeyVaultSecretsUser },
    };

    /// <summary>Identity-based app settings and their required values (null: any non-empty value).</summary>
    public static TheoryData<string, string?> IdentitySettings() => new()
    {
        { "AzureWebJobsStorage__accountName", null },
        { "AzureWebJobsStorage__credential", "managedidentity" },
        { "AzureWebJobsStorage__clientId", null },
        { "AzureWebJobsStorage__blobServiceUri", null },
        { "AzureWebJobsStorage__queueServiceUri", null },
        { "AzureWebJobsStorage__tableServiceUri", null },
        { "ServiceBusConnection__fullyQualifiedNamespace", null },
        { "ServiceBusConnection__credential", "managedidentity" },
        { "ServiceBusConnection__clientId", null },
        { "AZURE_CLIENT_ID", null },
        { "AggregateReportSchedule", "0 0 0 * * *" },
    };

    [Fact]
    public async Task Storage_account_accepts_no_shared_keys_and_no_anonymous_reads()
    {
        var (_, inventory) = await Template.Value;
        var account = Assert.Single(inventory.OfType("Microsoft.Storage/storageAccounts"));
        var p = account.Evaluate("properties")!;

        Assert.False(p["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(p["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", p["minimumTlsVersion"]!.GetValue<string>());
        Assert.True(p["supportsHttpsTrafficOnly"]!.GetValue<bool>());
        Assert.All(inventory.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => Assert.Equal("None", c.Evaluate("properties")!["publicAccess"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Service_bus_has_local_auth_off_and_every_queue_dead_letters()
    {
        var (_, inventory) = await Template.Value;
        var ns = Assert.Single(inventory.OfType("Microsoft.ServiceBus/namespaces")).Evaluate("properties")!;

        Assert.True(ns["disableLocalAuth"]!.GetValue<bool>());
        Assert.Equal("1.2", ns["minimumTlsVersion"]!.GetValue<string>());
        var queues = inventory.OfType("Microsoft.ServiceBus/namespaces/queues").ToList();
        Assert.NotEmpty(queues);
        Assert.All(queues, q =>
        {
            var p = q.Evaluate("properties")!;
            Assert.True(p["deadLetteringOnMessageExpiration"]!.GetValue<bool>(), q.LeafName);
            Assert.InRange(p["maxDeliveryCount"]!.GetValue<int>(), 3, 20);
            var lockDuration = System.Xml.XmlConvert.ToTimeSpan(p["lockDuration"]!.GetValue<string>());
            Assert.InRange(lockDuration, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5));
            Assert.True(System.Xml.XmlConvert.ToTimeSpan(p["defaultMessageTimeToLive"]!.GetValue<string>()) >= TimeSpan.FromDays(1), q.LeafName);
        });
    }

    [Fact]
    public async Task Monitoring_accepts_only_entra_authenticated_telemetry()
    {
        var (_, inventory) = await Template.Value;

        Assert.True(Assert.Single(inventory.OfType("Microsoft.Insights/components")).Evaluate("properties")!["DisableLocalAuth"]!.GetValue<bool>());
        Assert.True(Assert.Single(inventory.OfType("Microsoft.OperationalInsights/workspaces")).Evaluate("properties")!["features"]!["disableLocalAuth"]!.GetValue<bool>());
        Assert.StartsWith("Authorization=AAD;ClientId=", inventory.AppSettings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_vault_uses_rbac_and_the_template_holds_no_secret_value()
    {
        var (json, inventory) = await Template.Value;
        var vault = Assert.Single(inventory.OfType("Microsoft.KeyVault/vaults")).Evaluate("properties")!;

        Assert.True(vault["enableRbacAuthorization"]!.GetValue<bool>());
        Assert.True(vault["enablePurgeProtection"]!.GetValue<bool>());
        // With the default (empty) secure parameters no secret resource is deployed at all.
        Assert.Empty(inventory.OfType("Microsoft.KeyVault/vaults/secrets"));
        foreach (var name in new[] { "smtpPassword", "reportDkimPrivateKey" })
        {
            var parameter = json["parameters"]![name]!;
            Assert.Equal("securestring", parameter["type"]!.GetValue<string>());
            Assert.Equal(string.Empty, parameter["defaultValue"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Secrets_reach_the_app_only_as_key_vault_references()
    {
        var (_, inventory) = await Template.Value;

        Assert.StartsWith("@Microsoft.KeyVault(VaultName=", inventory.AppSettings["Reporting__SmtpPassword"], StringComparison.Ordinal);
        Assert.StartsWith("@Microsoft.KeyVault(VaultName=", inventory.AppSettings["Reporting__DkimPrivateKey"], StringComparison.Ordinal);
        var site = Assert.Single(inventory.OfType("Microsoft.Web/sites"));
        // Resolved with the same user-assigned identity the site runs as (its id is a deployment-time value).
        Assert.Equal("[parameters('identityId')]", site.Json["properties"]!["keyVaultReferenceIdentity"]!.GetValue<string>());
        Assert.True(site.Json["identity"]!["userAssignedIdentities"]!.AsObject().ContainsKey("[format('{0}', parameters('identityId'))]"));
    }

    [Fact]
    public async Task No_key_listing_or_connection_string_with_a_key_appears_anywhere()
    {
        var (json, inventory) = await Template.Value;
        var text = json.ToJsonString();

        foreach (var forbidden in new[] { "listKeys(", "listConnectionStrings(", "listSecrets(", "listAccountSas(", "AccountKey=", "SharedAccessKey", "InstrumentationKey=" })
        {
            Assert.DoesNotContain(forbidden, text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain("AzureWebJobsStorage", inventory.AppSettings.Keys);
        Assert.DoesNotContain(inventory.AppSettings.Keys, k => k.EndsWith("ConnectionString", StringComparison.OrdinalIgnoreCase) || k.Contains("__connectionString", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(inventory.AppSettings, s => (s.Value ?? string.Empty).Contains("AccountKey", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Outputs_carry_no_secrets()
    {
        var (json, _) = await Template.Value;
        var outputs = json["outputs"]!.AsObject();

        Assert.All(outputs, o =>
        {
            Assert.DoesNotMatch("(?i)secret|password|key(?!_vault)|connectionstring", o.Key);
            Assert.NotEqual("securestring", o.Value!["type"]!.GetValue<string>());
            var value = o.Value["value"]!.GetValue<string>();
            Assert.DoesNotContain("smtpPassword", value, StringComparison.Ordinal);
            Assert.DoesNotContain("reportDkimPrivateKey", value, StringComparison.Ordinal);
            Assert.DoesNotContain("list", value, StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(IdentitySettings))]
    public async Task App_settings_are_identity_based(string name, string? expected)
    {
        var (_, inventory) = await Template.Value;

        Assert.True(inventory.AppSettings.TryGetValue(name, out var value), $"app setting {name} missing");
        if (expected is null)
        {
            Assert.False(string.IsNullOrEmpty(value));
        }
        else
        {
            Assert.Equal(expected, value);
        }
    }

    [Theory]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("AzureWebJobsStorage")]
    public async Task Settings_flex_consumption_rejects_or_that_carry_keys_are_absent(string name)
    {
        var (_, inventory) = await Template.Value;

        Assert.False(inventory.AppSettings.ContainsKey(name), name);
    }

    [Fact]
    public async Task Function_app_is_a_flex_consumption_dotnet_isolated_app_reached_over_https_only()
    {
        var (json, inventory) = await Template.Value;
        var plan = Assert.Single(inventory.OfType("Microsoft.Web/serverfarms"));
        Assert.Equal("FC1", plan.Evaluate("sku")!["name"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", plan.Evaluate("sku")!["tier"]!.GetValue<string>());
        Assert.True(plan.Evaluate("properties")!["reserved"]!.GetValue<bool>());

        var site = Assert.Single(inventory.OfType("Microsoft.Web/sites"));
        Assert.Equal("functionapp,linux", site.Evaluate("kind")!.GetValue<string>());
        Assert.Equal("UserAssigned", site.Evaluate("identity")!["type"]!.GetValue<string>());
        var p = site.Evaluate("properties")!;
        Assert.True(p["httpsOnly"]!.GetValue<bool>());
        Assert.Equal("1.2", p["siteConfig"]!["minTlsVersion"]!.GetValue<string>());
        Assert.Equal("Disabled", p["siteConfig"]!["ftpsState"]!.GetValue<string>());
        var config = p["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", config["runtime"]!["name"]!.GetValue<string>());
        Assert.Equal("10.0", config["runtime"]!["version"]!.GetValue<string>());
        Assert.Equal("UserAssignedIdentity", config["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());
        Assert.Equal(2048, config["scaleAndConcurrency"]!["instanceMemoryMB"]!.GetValue<int>());
        Assert.Equal(100, config["scaleAndConcurrency"]!["maximumInstanceCount"]!.GetValue<int>());
        Assert.Contains("instanceMemoryMB", json["parameters"]!.AsObject().Select(x => x.Key));
        Assert.Contains("maximumInstanceCount", json["parameters"]!.AsObject().Select(x => x.Key));
        Assert.Contains(BindingCrossCheckDeploymentContainer(inventory), inventory.Containers);

        Assert.All(inventory.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies"),
            policy => Assert.False(policy.Evaluate("properties")!["allow"]!.GetValue<bool>()));
        Assert.Equal(2, inventory.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").Count());
    }

    [Fact]
    public async Task Event_grid_routes_inbound_blob_created_to_the_inbound_events_queue_and_dead_letters_with_its_own_identity()
    {
        var (_, inventory) = await Template.Value;
        var topic = Assert.Single(inventory.OfType("Microsoft.EventGrid/systemTopics"));
        Assert.Equal("SystemAssigned", topic.Evaluate("identity")!["type"]!.GetValue<string>());
        Assert.Equal("Microsoft.Storage.StorageAccounts", topic.Evaluate("properties")!["topicType"]!.GetValue<string>());

        var subscription = Assert.Single(inventory.OfType("Microsoft.EventGrid/systemTopics/eventSubscriptions")).Evaluate("properties")!;
        Assert.Equal("EventGridSchema", subscription["eventDeliverySchema"]!.GetValue<string>());
        Assert.Equal(["Microsoft.Storage.BlobCreated"], subscription["filter"]!["includedEventTypes"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal("/blobServices/default/containers/inbound/blobs/", subscription["filter"]!["subjectBeginsWith"]!.GetValue<string>());
        var delivery = subscription["deliveryWithResourceIdentity"]!;
        Assert.Equal("SystemAssigned", delivery["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("StorageQueue", delivery["destination"]!["endpointType"]!.GetValue<string>());
        Assert.Equal("inbound-events", delivery["destination"]!["properties"]!["queueName"]!.GetValue<string>());
        Assert.Contains("Microsoft.Storage/storageAccounts", delivery["destination"]!["properties"]!["resourceId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(subscription["destination"]);
        var deadLetter = subscription["deadLetterWithResourceIdentity"]!;
        Assert.Equal("SystemAssigned", deadLetter["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("StorageBlob", deadLetter["deadLetterDestination"]!["endpointType"]!.GetValue<string>());
        Assert.Equal("inbound-deadletter", deadLetter["deadLetterDestination"]!["properties"]!["blobContainerName"]!.GetValue<string>());
        Assert.Null(subscription["deadLetterDestination"]);

        Assert.Contains(inventory.RoleAssignments, a =>
            a.RoleDefinitionId == TemplateInventory.StorageQueueDataMessageSender
            && a.Scope.EndsWith("/queueServices/default/queues/inbound-events", StringComparison.Ordinal)
            && a.PrincipalExpression.Contains("Microsoft.EventGrid/systemTopics", StringComparison.Ordinal));
        Assert.Contains(inventory.RoleAssignments, a =>
            a.RoleDefinitionId == TemplateInventory.StorageBlobDataContributor
            && a.Scope.EndsWith("/blobServices/default/containers/inbound-deadletter", StringComparison.Ordinal)
            && a.PrincipalExpression.Contains("Microsoft.EventGrid/systemTopics", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AppIdentityRoles))]
    public async Task The_app_identity_holds_each_role_it_needs(string role, string roleId)
    {
        var (_, inventory) = await Template.Value;

        Assert.True(inventory.RoleAssignments.Any(a => a.IsForAppIdentity && a.RoleDefinitionId == roleId), $"no {role} assignment for the app identity");
    }

    [Theory]
    [MemberData(nameof(BroadRoles))]
    public async Task No_identity_gets_a_broad_role(string role, string roleId)
    {
        var (_, inventory) = await Template.Value;

        Assert.False(inventory.RoleAssignments.Any(a => a.RoleDefinitionId == roleId), $"{role} is assigned");
    }

    [Fact]
    public async Task Role_assignments_are_named_guid_of_scope_principal_and_role()
    {
        var (_, inventory) = await Template.Value;

        Assert.True(inventory.RoleAssignments.Count >= 10, $"only {inventory.RoleAssignments.Count} role assignments");
        Assert.All(inventory.RoleAssignments, a =>
        {
            Assert.StartsWith("[guid(", a.RawName, StringComparison.Ordinal);
            Assert.Equal(3, TopLevelArguments(a.RawName["[guid(".Length..^2]));
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", a.RoleDefinitionId);
            Assert.False(a.Scope.Length == 0, $"{a.RawName} has no explicit scope");
        });
    }

    [Fact]
    public async Task Service_bus_roles_are_scoped_to_single_queues()
    {
        var (_, inventory) = await Template.Value;
        var sb = inventory.RoleAssignments.Where(a => a.RoleDefinitionId is TemplateInventory.ServiceBusDataReceiver or TemplateInventory.ServiceBusDataSender).ToList();

        Assert.NotEmpty(sb);
        Assert.All(sb, a => Assert.Contains("/queues/", a.Scope, StringComparison.Ordinal));
    }

    private static string BindingCrossCheckDeploymentContainer(TemplateInventory inventory) =>
        Bindings.BindingCrossCheck.DeploymentContainer(inventory) ?? throw new InvalidOperationException("no deployment container");

    private static int TopLevelArguments(string args)
    {
        int depth = 0, count = 1;
        var quoted = false;
        foreach (var c in args)
        {
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')')
            {
                depth--;
            }
            else if (!quoted && depth == 0 && c == ',')
            {
                count++;
            }
        }

        return count;
    }
}
