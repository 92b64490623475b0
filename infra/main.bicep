// DmarcCloud in one resource group. This file only declares the shared names and wires the modules
// under app/ (one per concern); the resources themselves live in the modules. Every queue, container
// and table name below is also in code (functions/DmarcCloud.Azure/ResourceNames.cs), and
// tests/DmarcCloud.Infra.Tests checks them, the app settings, and the Worker SDK's functions.metadata
// against this template in both directions.

targetScope = 'resourceGroup'

import { queueSpec } from 'app/types.bicep'

@minLength(1)
@maxLength(64)
@description('azd environment name; seeds the unique suffix of every resource name.')
param environmentName string

@description('Azure region for all resources (one that offers Flex Consumption).')
param location string = resourceGroup().location

@description('Object id of the deploying user or group; gets Key Vault Secrets Officer so it can set the secrets. Empty to skip.')
param principalId string = ''

@description('Principal type of principalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('Flex Consumption instance memory in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Maximum Flex Consumption instances (40-1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Service Bus namespace SKU (Standard or Premium: duplicate detection needs them).')
@allowed([
  'Standard'
  'Premium'
])
param serviceBusSku string = 'Standard'

@description('NCRONTAB schedule (UTC) of ScheduleAggregateReports.')
param aggregateReportSchedule string = '0 0 0 * * *'

@description('NCRONTAB schedule of the Service Bus drains (BuildAggregateReport, SendReport): every minute.')
param drainSchedule string = '0 */1 * * * *'

@description('SMTP relay host for outgoing reports.')
param smtpHost string = ''

@description('SMTP relay port (587 = submission with STARTTLS).')
param smtpPort int = 587

@description('SMTP user name (empty for an unauthenticated relay).')
param smtpUserName string = ''

@description('RFC5322.From address of outgoing reports.')
param smtpFromAddress string = ''

@description('SMTP password written to Key Vault; leave empty and set the secret out of band (docs/deploy.md).')
@secure()
param smtpPassword string = ''

@description('Organisation name written into aggregate reports (RFC 9990 org_name).')
param reportOrgName string = ''

@description('Contact address written into aggregate reports (RFC 9990 email).')
param reportContactEmail string = ''

@description('DKIM selector used to sign outgoing reports.')
param reportDkimSelector string = ''

@description('DKIM signing domain (d=) of outgoing reports.')
param reportDkimDomain string = ''

@description('Report mailboxes, comma-separated (Ingest__Mailboxes): inbound mail to one of them is ingested as DMARC reports after its own evaluation; empty: that intake door is closed.')
param ingestMailboxes string = ''

@description('Which report mail is accepted (Ingest__Acceptance): DmarcPassOrTrustedArc, DmarcPass or Any.')
@allowed([
  'DmarcPassOrTrustedArc'
  'DmarcPass'
  'Any'
])
param ingestAcceptance string = 'DmarcPassOrTrustedArc'

@description('ARC sealer domains trusted to vouch for report mail whose DMARC failed after forwarding, comma-separated (Ingest__TrustedArcSealers).')
param ingestTrustedArcSealers string = ''

@description('Entra ID app registration (client ID) for App Service Authentication; empty: every HTTP request except /api/health is refused (401).')
param authClientId string = ''

@description('PEM private key that signs outgoing reports, written to Key Vault; leave empty and set the secret out of band.')
@secure()
param reportDkimPrivateKey string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'dmarccloud'
}

// --- Shared names (docs/architecture.md, functions/DmarcCloud.Azure/ResourceNames.cs) -------------
// host.json is the one place the queue trigger's retry count is set; the app's option must agree.
var hostJson = loadJsonContent('../host.json')

// Service Bus queues: sent with ServiceBusSender (MessageId set, duplicate detection on), consumed by
// timer-triggered drains (drainScheduleSetting names the %Setting% of the drain's schedule).
var serviceBusQueues queueSpec[] = [
  {
    name: 'verdicts'
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
    defaultMessageTimeToLive: 'P14D'
    appReceives: false
    appSends: true
    drainScheduleSetting: ''
  }
  {
    name: 'failure-reports'
    maxDeliveryCount: 10
    lockDuration: 'PT5M'
    defaultMessageTimeToLive: 'P7D'
    appReceives: true
    appSends: true
    drainScheduleSetting: 'FailureReportsDrainSchedule'
  }
  {
    name: 'aggregate-jobs'
    maxDeliveryCount: 5
    lockDuration: 'PT5M'
    defaultMessageTimeToLive: 'P2D'
    appReceives: true
    appSends: true
    drainScheduleSetting: 'AggregateJobsDrainSchedule'
  }
  {
    name: 'outbound-reports'
    maxDeliveryCount: 10
    lockDuration: 'PT5M'
    defaultMessageTimeToLive: 'P7D'
    appReceives: true
    appSends: true
    drainScheduleSetting: 'OutboundReportsDrainSchedule'
  }
]

// Storage queues: Event Grid delivers BlobCreated events to inboundEventsQueueName (EvaluateMessage's
// queueTrigger); the queue extension moves a message that failed maxDequeueCount times to the poison queue.
var inboundEventsQueueName = 'inbound-events'
var inboundEventsPoisonQueueName = '${inboundEventsQueueName}-poison'
var storageQueueNames = [
  inboundEventsQueueName
  inboundEventsPoisonQueueName
]

var inboundContainerName = 'inbound'
var inboundDeadLetterContainerName = 'inbound-deadletter'
var blobContainerNames = [
  inboundContainerName
  'reports'
  inboundDeadLetterContainerName
]

var verdictsTableName = 'Verdicts'
var verdictDomainsTableName = 'VerdictDomains'
var tableNames = [
  verdictsTableName
  verdictDomainsTableName
  'ReportLedger'
  'ProcessingErrors'
]

// Flex Consumption reads the app package from this container (not an application name).
var deploymentContainerName = 'app-package'
var smtpPasswordSecretName = 'smtp-password'
var reportDkimKeySecretName = 'report-dkim-private-key'

// Timer schedules the functions name as %Setting% (functions/DmarcCloud.Functions/AppSettingNames.cs):
// the host will not index a timer whose setting is missing.
var scheduleSettings = union(
  toObject(filter(serviceBusQueues, q => !empty(q.drainScheduleSetting)), q => q.drainScheduleSetting, q => drainSchedule),
  {
    AggregateReportSchedule: aggregateReportSchedule
  }
)

// Option sections the app binds (functions/DmarcCloud.Functions: InboundOptions, VerdictStoreOptions, IngestOptions).
// Inbound__MaxDequeueCount must equal host.json's maxDequeueCount: on that attempt the app records a
// transient fault in ProcessingErrors before the queue extension moves the message to the poison queue.
var appOptionSettings = {
  Inbound__Container: inboundContainerName
  Inbound__MaxDequeueCount: string(hostJson.extensions.queues.maxDequeueCount)
  VerdictStore__TableName: verdictsTableName
  VerdictStore__DomainIndexTableName: verdictDomainsTableName
  Ingest__Mailboxes: ingestMailboxes
  Ingest__Acceptance: ingestAcceptance
  Ingest__TrustedArcSealers: ingestTrustedArcSealers
}

// Reporter settings (functions/DmarcCloud.Azure/Reporting/ReporterOptions, section "Reporting"); the
// names are checked against that class by tests/DmarcCloud.Infra.Tests.
var otherSettings = {
  Reporting__SmtpHost: smtpHost
  Reporting__SmtpPort: string(smtpPort)
  Reporting__SmtpUserName: smtpUserName
  Reporting__FromAddress: smtpFromAddress
  Reporting__OrgName: reportOrgName
  Reporting__Email: reportContactEmail
  Reporting__Schedule: aggregateReportSchedule
  Reporting__DkimSelector: reportDkimSelector
  Reporting__DkimDomain: reportDkimDomain
}

var storageAccountName = '${abbrs.storageStorageAccounts}${resourceToken}'
var serviceBusNamespaceName = '${abbrs.serviceBusNamespaces}${resourceToken}'
var applicationInsightsName = '${abbrs.insightsComponents}${resourceToken}'
var keyVaultName = '${abbrs.keyVaultVaults}${resourceToken}'
var identityName = '${abbrs.managedIdentityUserAssignedIdentities}func-${resourceToken}'

// --- Modules -------------------------------------------------------------------------------------
module identity 'app/identity.bicep' = {
  name: 'identity'
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageAccountName
    location: location
    tags: tags
    containerNames: concat(blobContainerNames, [deploymentContainerName])
    tableNames: tableNames
    queueNames: storageQueueNames
  }
}

module serviceBus 'app/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    name: serviceBusNamespaceName
    location: location
    tags: tags
    skuName: serviceBusSku
    queues: serviceBusQueues
  }
}

module eventGrid 'app/eventgrid.bicep' = {
  name: 'eventgrid'
  // Names are passed as known values (for what-if), so the order is stated here.
  dependsOn: [
    storage
  ]
  params: {
    name: '${abbrs.eventGridSystemTopics}${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storageAccountName
    inboundContainerName: inboundContainerName
    inboundQueueName: inboundEventsQueueName
    deadLetterContainerName: inboundDeadLetterContainerName
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: keyVaultName
    location: location
    tags: tags
    smtpPasswordSecretName: smtpPasswordSecretName
    reportDkimKeySecretName: reportDkimKeySecretName
    smtpPassword: smtpPassword
    reportDkimPrivateKey: reportDkimPrivateKey
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  dependsOn: [
    identity
    storage
    serviceBus
    monitoring
    keyVault
  ]
  params: {
    appIdentityName: identityName
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
    storageAccountName: storageAccountName
    serviceBusNamespaceName: serviceBusNamespaceName
    queues: serviceBusQueues
    inboundEventsQueueName: inboundEventsQueueName
    inboundEventsPoisonQueueName: inboundEventsPoisonQueueName
    applicationInsightsName: applicationInsightsName
    keyVaultName: keyVaultName
  }
}

module function 'app/functionapp.bicep' = {
  name: 'function'
  // The app must not start before its identity can read storage, Service Bus and Key Vault.
  dependsOn: [
    rbac
    storage
    monitoring
  ]
  params: {
    name: '${abbrs.webSitesFunctions}${resourceToken}'
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    applicationInsightsName: applicationInsightsName
    keyVaultName: keyVault.outputs.name
    smtpPasswordSecretName: smtpPasswordSecretName
    reportDkimKeySecretName: reportDkimKeySecretName
    settings: union(scheduleSettings, appOptionSettings, otherSettings)
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
}

// App Service Authentication (Entra ID): the received-reports API, the dashboard and uploads are never anonymous in Azure.
module auth 'app/auth.bicep' = {
  name: 'auth'
  dependsOn: [
    function
  ]
  params: {
    functionAppName: '${abbrs.webSitesFunctions}${resourceToken}'
    clientId: authClientId
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_FUNCTION_APP_NAME string = function.outputs.name
output AZURE_FUNCTION_APP_HOSTNAME string = function.outputs.defaultHostName
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_SERVICEBUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_EVENTGRID_SYSTEM_TOPIC string = eventGrid.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
