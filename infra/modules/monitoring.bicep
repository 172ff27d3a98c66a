// Application Insights (workspace-based) for the server's traces and logs, which it sends
// through @azure/monitor-opentelemetry when APPLICATIONINSIGHTS_CONNECTION_STRING is set.

@description('Name of the Application Insights component; the Log Analytics workspace is named after it.')
param name string

@description('Azure region.')
param location string

@description('Days Log Analytics keeps the data.')
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: name
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

// Not a secret: it only lets a client send telemetry to this component.
output connectionString string = insights.properties.ConnectionString
