// The Service Bus namespace and the queues DmarcCloud sends to and drains (docs/architecture.md).
// Local (SAS) auth is disabled: the function app reaches it with its managed identity only.
// A drain abandons a message on a transient fault; after maxDeliveryCount deliveries Service Bus moves
// it to the queue's dead-letter sub-queue, where it waits for an operator (nothing is silently dropped).
// Senders set MessageId; duplicate detection drops a re-sent message within the window.

import { queueSpec } from 'types.bicep'

@description('Namespace name.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the namespace.')
param tags object

@description('Namespace SKU. Standard is the smallest tier with duplicate detection.')
@allowed([
  'Standard'
  'Premium'
])
param skuName string = 'Standard'

@description('Queues to create.')
param queues queueSpec[]

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuName
  }
  properties: {
    // Entra ID only: no SAS keys, no connection strings.
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource queueResources 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [
  for queue in queues: {
    parent: namespace
    name: queue.name
    properties: {
      maxDeliveryCount: queue.maxDeliveryCount
      lockDuration: queue.lockDuration
      defaultMessageTimeToLive: queue.defaultMessageTimeToLive
      deadLetteringOnMessageExpiration: true
      requiresSession: false
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: 'P1D'
      enablePartitioning: false
    }
  }
]

output id string = namespace.id
output name string = namespace.name
@description('Host name for `<Conn>__fullyQualifiedNamespace`, taken from the endpoint so sovereign clouds work too.')
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
output queueNames string[] = [for (queue, i) in queues: queueResources[i].name]
