// Inbound path: a BlobCreated event for every mail blob written to the `inbound` container is
// delivered to the `inbound-mail` Service Bus queue, where EvaluateMessage's serviceBusTrigger picks it
// up. Delivery is identity-based: the system topic's own system-assigned identity holds Azure Service
// Bus Data Sender on that one queue (the namespace has local auth disabled, so there is no key to use).
// Events use the Event Grid schema; the message body is the single event object (JSON).

@description('System topic name.')
param name string

@description('Azure region (the storage account\'s region).')
param location string

@description('Tags applied to the topic.')
param tags object

@description('Storage account whose blob events are published.')
param storageAccountName string

@description('Container whose new blobs are routed (docs/architecture.md: inbound).')
param inboundContainerName string

@description('Service Bus namespace name.')
param serviceBusNamespaceName string

@description('Queue that receives the events (docs/architecture.md: inbound-mail).')
param inboundQueueName string

@description('Hours Event Grid keeps retrying a delivery before dropping the event.')
@minValue(1)
@maxValue(24)
param eventTimeToLiveHours int = 24

var serviceBusDataSender = '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource inboundQueue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' existing = {
  parent: serviceBus
  name: inboundQueueName
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

resource topicSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(inboundQueue.id, systemTopic.id, serviceBusDataSender)
  scope: inboundQueue
  properties: {
    principalId: systemTopic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataSender)
  }
}

resource blobCreated 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'inbound-blob-created'
  // Event Grid validates the destination with the topic's identity, so the role must exist first.
  dependsOn: [
    topicSender
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
        endpointType: 'ServiceBusQueue'
        properties: {
          resourceId: inboundQueue.id
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
