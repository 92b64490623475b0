// App Service Authentication (Easy Auth) in front of the function app: no HTTP endpoint is anonymous in Azure.
// Entra ID signs users in (the received-reports API and dashboard, issue 12); only the health probe is excluded.
// Without an app registration (authClientId empty) every request but the health probe is refused with 401.

@description('Name of the function app to protect.')
param functionAppName string

@description('Application (client) ID of the Entra ID app registration users sign in with; empty refuses every request except /api/health.')
param clientId string = ''

@description('Tenant of the app registration.')
param tenantId string = tenant().tenantId

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: empty(clientId) ? 'Return401' : 'RedirectToLoginPage'
      redirectToProvider: empty(clientId) ? null : 'azureactivedirectory'
      excludedPaths: [
        '/api/health'
      ]
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: !empty(clientId)
        registration: {
          clientId: clientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: empty(clientId) ? [] : [
            'api://${clientId}'
            clientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    httpSettings: {
      requireHttps: true
    }
  }
}
