// Azure Cosmos DB for NoSQL, serverless, with key access disabled: the only way in is
// Microsoft Entra, and the server's managed identity holds the built-in Data Contributor role.
// The database and container are created here because data-plane RBAC cannot create them;
// the server's createIfNotExists then only reads them.

@description('Cosmos DB account name (globally unique, lowercase).')
param accountName string

@description('Azure region.')
param location string

@description('Database id; the server reads it as COSMOS_DATABASE.')
param databaseName string

@description('Container id; the server reads it as COSMOS_CONTAINER.')
param containerName string

@description('Object (principal) id of the managed identity that gets data access.')
param principalId string

// Cosmos DB Built-in Data Contributor: read and write items, read metadata; no key, no control plane.
var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: [
      { name: 'EnableServerless' }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    // Without this, anyone holding an account key (portal, leaked setting) could read every tenant's data.
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

// Mirrors INDEXING_POLICY in core/src/store/cosmos-store.ts (test/infra.test.ts compares them):
// the feed's two-field ORDER BY needs composite indexes in exactly these directions.
resource container 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: containerName
  properties: {
    resource: {
      id: containerName
      partitionKey: {
        paths: [
          '/pk'
        ]
        kind: 'Hash'
        version: 2
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          { path: '/*' }
        ]
        excludedPaths: [
          { path: '/"_etag"/?' }
          { path: '/message/?' }
        ]
        compositeIndexes: [
          [
            { path: '/createdAt', order: 'descending' }
            { path: '/id', order: 'descending' }
          ]
          [
            { path: '/createdAt', order: 'ascending' }
            { path: '/id', order: 'ascending' }
          ]
        ]
      }
    }
  }
}

resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: account
  name: guid(account.id, principalId, dataContributorRoleId)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'
    principalId: principalId
    scope: account.id
  }
}

output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
output containerName string = container.name
