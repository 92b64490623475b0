// The user-assigned managed identity the function app runs as: one identity for host storage, the
// handler's own Blob/Table clients, Service Bus bindings, Application Insights and Key Vault references.
// A user-assigned identity (not the site's system identity) lets every role assignment exist before
// the app starts, so the first cold start already has its data-plane rights.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
