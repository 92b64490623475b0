// Inbound path: a BlobCreated event for every mail blob written to the `inbound` container is
// delivered to the `inbound-events` Storage queue, where EvaluateMessage's queueTrigger picks it up.
// Delivery is identity-based: the system topic's own system-assigned identity holds Storage Queue Data
// Message Sender on that one queue (shared keys are off, so there is no key to use), and events Event
// Grid could not deliver are dead-lettered, with the same identity, to the `inbound-deadletter`
// container (Storage Blob Data Contributor on that container only). Events use the Event Grid schema;
// each queue message is one event as plain JSON text (host.json: messageEncoding none).

@description('System topic name.')
param name string

@description('Azure region (the storage account\'s region).')
param location string

@description('Tags applied to the topic.')
param tags object

@description('Storage account whose blob events are published (and that holds the queue).')
param storageAccountName string

@description('Container whose new blobs are routed (docs/architecture.md: inbound).')
param inboundContainerName string

@description('Storage queue that receives the events (docs/architecture.md: inbound-events).')
param inboundQueueName string

@description('Container for events that could not be delivered (docs/architecture.md: inbound-deadletter).')
param deadLetterContainerName string

@description('Hours Event Grid keeps retrying a delivery before dead-lettering the event.')
@minValue(1)
@maxValue(24)
param eventTimeToLiveHours int = 24

var roles = {
  storageQueueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' existing = {
  parent: storage
  name: 'default'
}

resource inboundQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' existing = {
  parent: queueService
  name: inboundQueueName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' existing = {
  parent: storage
  name: 'default'
}

resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' existing = {
  parent: blobService
  name: deadLetterContainerName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource topicQueueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(inboundQueue.id, systemTopic.id, roles.storageQueueDataMessageSender)
  scope: inboundQueue
  properties: {
    principalId: systemTopic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataMessageSender)
  }
}

resource topicDeadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(deadLetterContainer.id, systemTopic.id, roles.storageBlobDataContributor)
  scope: deadLetterContainer
  properties: {
    principalId: systemTopic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource blobCreated 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'inbound-blob-created'
  // Event Grid validates the destination with the topic's identity, so the roles must exist first.
  dependsOn: [
    topicQueueSender
    topicDeadLetterWriter
  ]
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${inboundContainerName}/blobs/'
    }
    deliveryWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: storage.id
          queueName: inboundQueue.name
          // -1: the message never expires in the queue (the poison queue and ProcessingErrors bound it).
          queueMessageTimeToLiveInSeconds: -1
        }
      }
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storage.id
          blobContainerName: deadLetterContainer.name
        }
      }
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: eventTimeToLiveHours * 60
    }
  }
}

output id string = systemTopic.id
output name string = systemTopic.name
output principalId string = systemTopic.identity.principalId
