// Data-plane role assignments for the function app's user-assigned identity (and, optionally, the
// deploying user), each at the narrowest scope that works and named guid(scope, principal, role) --
// the principal being the identity's resource id -- so a redeployment finds the same assignment
// instead of failing on a duplicate.
//
//   Storage Blob Data Owner         storage account   host storage (leases, timers, secrets containers);
//                                                     the app reads `inbound`, writes `reports`
//   Storage Table Data Contributor  storage account   verdict store, report ledger, error table
//   Storage Queue Data Reader +
//   Storage Queue Data Message Processor  queue `inbound-events`   EvaluateMessage's queueTrigger
//   Storage Queue Data Message Sender     queue `inbound-events-poison`  the extension moves poison messages
//   Azure Service Bus Data Receiver each Service Bus queue a timer drains
//   Azure Service Bus Data Sender   each Service Bus queue the app sends to
//   Monitoring Metrics Publisher    App Insights      Entra-authenticated telemetry
//   Key Vault Secrets User          Key Vault         @Microsoft.KeyVault(...) app-setting references
//   Key Vault Secrets Officer       Key Vault         deploying user only, to set the two secrets
//
// tests/DmarcCloud.Infra.Tests fails if functions.metadata names a queue without the matching role,
// or a role is granted that no function uses.

import { queueSpec } from 'types.bicep'

// Assignment names use the identity's resource id (known before deployment, so what-if can predict
// them); its principal id goes into the properties.
@description('Name of the function app user-assigned identity.')
param appIdentityName string

@description('Principal id of the deploying user or group (optional); gets Key Vault Secrets Officer.')
param deployerPrincipalId string = ''

@description('Principal type of the deploying principal.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param deployerPrincipalType string = 'User'

@description('Storage account name.')
param storageAccountName string

@description('Service Bus namespace name.')
param serviceBusNamespaceName string

@description('Queues and how the app uses them.')
param queues queueSpec[]

@description('Storage queue EvaluateMessage triggers on.')
param inboundEventsQueueName string

@description('Its poison queue.')
param inboundEventsPoisonQueueName string

@description('Application Insights component name.')
param applicationInsightsName string

@description('Key Vault name.')
param keyVaultName string

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageQueueDataReader: '19e7f393-937e-4f77-808e-94535e297925'
  storageQueueDataMessageProcessor: '8a0f0c08-91a1-4084-bc3d-661d67233fed'
  storageQueueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}

var receivedQueues = filter(queues, q => q.appReceives)
var sentQueues = filter(queues, q => q.appSends)

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: appIdentityName
}

var appPrincipalId = appIdentity.properties.principalId

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' existing = {
  parent: storage
  name: 'default'
}

resource inboundEventsQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' existing = {
  parent: queueService
  name: inboundEventsQueueName
}

resource inboundEventsPoisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' existing = {
  parent: queueService
  name: inboundEventsPoisonQueueName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource receivedQueueResources 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' existing = [
  for queue in receivedQueues: {
    parent: serviceBus
    name: queue.name
  }
]

resource sentQueueResources 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' existing = [
  for queue in sentQueues: {
    parent: serviceBus
    name: queue.name
  }
]

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource blobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appIdentity.id, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appIdentity.id, roles.storageTableDataContributor)
  scope: storage
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageTableDataContributor
    )
  }
}

resource inboundQueueReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(inboundEventsQueue.id, appIdentity.id, roles.storageQueueDataReader)
  scope: inboundEventsQueue
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataReader)
  }
}

resource inboundQueueProcessor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(inboundEventsQueue.id, appIdentity.id, roles.storageQueueDataMessageProcessor)
  scope: inboundEventsQueue
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageQueueDataMessageProcessor
    )
  }
}

resource poisonQueueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(inboundEventsPoisonQueue.id, appIdentity.id, roles.storageQueueDataMessageSender)
  scope: inboundEventsPoisonQueue
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataMessageSender)
  }
}

resource queueReceivers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (queue, i) in receivedQueues: {
    name: guid(receivedQueueResources[i].id, appIdentity.id, roles.serviceBusDataReceiver)
    scope: receivedQueueResources[i]
    properties: {
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
    }
  }
]

resource queueSenders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (queue, i) in sentQueues: {
    name: guid(sentQueueResources[i].id, appIdentity.id, roles.serviceBusDataSender)
    scope: sentQueueResources[i]
    properties: {
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
    }
  }
]

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appIdentity.id, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.monitoringMetricsPublisher
    )
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appIdentity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource deployerSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}
