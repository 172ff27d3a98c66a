// The user-assigned managed identity the server runs as: it is the bot's identity
// (Azure Bot, msaAppType UserAssignedMSI) and the one Cosmos DB grants data access to.

@description('Name of the managed identity.')
param name string

@description('Azure region.')
param location string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
output tenantId string = identity.properties.tenantId
