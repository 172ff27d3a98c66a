// The Azure Bot registration: the managed identity is the bot's app (no password), and
// Teams is its channel.

@description('Name of the Azure Bot resource (globally unique).')
param name string

@description('Display name of the bot.')
param displayName string

@description('Messaging endpoint: https://<host>/api/messages.')
param endpoint string

@description('Client id of the user-assigned identity (the bot\'s Microsoft App ID).')
param identityClientId string

@description('Resource id of the user-assigned identity.')
param identityResourceId string

@description('Tenant of the identity.')
param tenantId string

@description('Bot Service pricing tier: F0 (free, standard channels such as Teams are unlimited) or S1.')
param sku string

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: sku
  }
  properties: {
    displayName: displayName
    endpoint: endpoint
    msaAppId: identityClientId
    msaAppType: 'UserAssignedMSI'
    msaAppMSIResourceId: identityResourceId
    msaAppTenantId: tenantId
    // No Direct Line or Web Chat secrets: Teams authenticates with Entra tokens only.
    disableLocalAuth: true
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output name string = bot.name
