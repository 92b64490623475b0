// Key Vault in RBAC mode for the two secrets DmarcCloud uses: the SMTP password (SendReport) and the
// private key that DKIM-signs outgoing aggregate reports. The app reads them through
// @Microsoft.KeyVault(...) app-setting references with its user-assigned identity (Key Vault Secrets
// User). The template never carries a secret value unless the operator passes one: an empty parameter
// creates no secret version, so a later deployment never overwrites a secret set with `az keyvault
// secret set` (docs/deploy.md).

@description('Key Vault name (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the vault.')
param tags object

@description('Name of the secret that holds the SMTP password.')
param smtpPasswordSecretName string

@description('Name of the secret that holds the report DKIM private key (PEM).')
param reportDkimKeySecretName string

@description('SMTP password; empty leaves the secret to be set out of band.')
@secure()
param smtpPassword string = ''

@description('DKIM private key (PEM) for signing reports; empty leaves the secret to be set out of band.')
@secure()
param reportDkimPrivateKey string = ''

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Access policies are ignored: Azure RBAC decides who reads which secret.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForTemplateDeployment: false
    enabledForDiskEncryption: false
    publicNetworkAccess: 'Enabled'
  }
}

resource smtpPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(smtpPassword)) {
  parent: vault
  name: smtpPasswordSecretName
  properties: {
    value: smtpPassword
    contentType: 'text/plain'
  }
}

resource reportDkimKeySecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(reportDkimPrivateKey)) {
  parent: vault
  name: reportDkimKeySecretName
  properties: {
    value: reportDkimPrivateKey
    contentType: 'application/x-pem-file'
  }
}

output id string = vault.id
output name string = vault.name
