// App Service on Linux running the Noticed server (bot, REST API, tab and add-in) as the
// user-assigned identity.

@description('Name of the web app; it is also the host name: <name>.azurewebsites.net.')
param name string

@description('Name of the App Service plan.')
param planName string

@description('Azure region.')
param location string

@description('App Service plan SKU, e.g. B1 or P0v3. Free and shared tiers have no alwaysOn.')
param sku string

@description('Runtime stack, e.g. NODE|22-lts.')
param linuxFxVersion string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('App settings, name to value.')
param appSettings object

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  kind: 'linux'
  sku: {
    name: sku
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      // The built server, not `npm start` (which would build again on every start).
      appCommandLine: 'node --disable-warning=DEP0111 dist/bot/src/index.js'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      // Readiness, not liveness: 503 while draining or while the store does not answer, so traffic goes elsewhere.
      healthCheckPath: '/readyz'
      appSettings: [for setting in items(appSettings): {
        name: setting.key
        value: setting.value
      }]
    }
  }
}

// FTP is off (ftpsState); its basic-auth credentials go too. Deployment uses Microsoft Entra.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

output id string = site.id
output defaultHostName string = site.properties.defaultHostName
