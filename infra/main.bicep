// Noticed on Azure: one Node.js server on App Service (Linux) as a user-assigned managed
// identity, which is also the Azure Bot's identity and the only principal Cosmos DB lets in.
// Deployed by `atk provision` (m365agents.yml) or `az deployment group create`; see README.md.

@minLength(4)
@maxLength(24)
@description('Prefix of every resource name; lowercase letters and digits, globally unique (e.g. noticed3f9a2c).')
param resourceBaseName string

@description('Azure region for everything but the bot (which is global).')
param location string = resourceGroup().location

@description('App Service plan SKU. B1 is enough for a team; P0v3 or above for production.')
param webAppSku string = 'B1'

@description('Node.js runtime on App Service Linux.')
param linuxFxVersion string = 'NODE|22-lts'

@maxLength(42)
@description('Display name of the bot in Teams.')
param botDisplayName string = 'Noticed'

@description('Azure Bot pricing tier.')
param botSku string = 'F0'

@description('Client id of the Entra app the API accepts tokens for (AAD_APP_CLIENT_ID, created by aadApp/create).')
param authClientId string

@description('Comma-separated Entra tenant ids whose users may use Noticed; empty means this subscription\'s tenant.')
param authAllowedTenants string = ''

@description('The Teams app id (TEAMS_APP_ID, from teamsApp/create): private credit notices deep-link to the board in Teams; empty, they link to the tab\'s web address.')
param teamsAppId string = ''

@description('Cosmos DB database id.')
param cosmosDatabaseName string = 'noticed'

@description('Cosmos DB container id.')
param cosmosContainerName string = 'noticed'

var name = toLower(resourceBaseName)
// Known before the site exists, so the settings can name it; App Service gives every
// site <name>.azurewebsites.net.
var host = '${name}.azurewebsites.net'
var allowedTenants = empty(authAllowedTenants) ? subscription().tenantId : authAllowedTenants

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${name}-identity'
    location: location
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    accountName: '${name}-cosmos'
    location: location
    databaseName: cosmosDatabaseName
    containerName: cosmosContainerName
    principalId: identity.outputs.principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: '${name}-insights'
    location: location
  }
}

// Exactly what bot/src/config.ts reads in production (test/infra.test.ts holds them equal),
// plus AZURE_CLIENT_ID, which @azure/identity's DefaultAzureCredential reads to pick the
// user-assigned identity. No COSMOS_KEY and no BOT_PASSWORD: there are no secrets to set.
var serverSettings = {
  NODE_ENV: 'production'
  PUBLIC_URL: 'https://${host}'
  STORE: 'cosmos'
  COSMOS_ENDPOINT: cosmos.outputs.endpoint
  COSMOS_DATABASE: cosmosDatabaseName
  COSMOS_CONTAINER: cosmosContainerName
  BOT_ID: identity.outputs.clientId
  BOT_TENANT_ID: identity.outputs.tenantId
  BOT_TYPE: 'UserAssignedMSI'
  AUTH_CLIENT_ID: authClientId
  AUTH_APP_ID_URI: 'api://${host}/${authClientId}'
  AUTH_ALLOWED_TENANTS: allowedTenants
  AZURE_CLIENT_ID: identity.outputs.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  TEAMS_APP_ID: teamsAppId
}

// For App Service itself: run the deployed zip as is (it is built before deployment).
var platformSettings = {
  WEBSITE_RUN_FROM_PACKAGE: '1'
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
}

module webApp 'modules/web-app.bicep' = {
  name: 'web-app'
  params: {
    name: name
    planName: '${name}-plan'
    location: location
    sku: webAppSku
    linuxFxVersion: linuxFxVersion
    identityId: identity.outputs.id
    appSettings: union(platformSettings, serverSettings)
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: name
    displayName: botDisplayName
    endpoint: 'https://${webApp.outputs.defaultHostName}/api/messages'
    identityClientId: identity.outputs.clientId
    identityResourceId: identity.outputs.id
    tenantId: identity.outputs.tenantId
    sku: botSku
  }
}

// The Agents Toolkit writes these outputs to env/.env.<env> (arm/deploy).
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.outputs.id
output BOT_DOMAIN string = webApp.outputs.defaultHostName
output BOT_ID string = identity.outputs.clientId
output BOT_TENANT_ID string = identity.outputs.tenantId
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
