import { ConfigError, loadConfig } from '../bot';
import { createLogger } from '../bot/src/logger';
import { startTelemetry } from '../bot/src/telemetry';

// The edges Noticed does not own: Azure Monitor's distribution (which would export over the
// network) and OpenTelemetry's globals. Each factory notes that the module was loaded.
const mockLoaded: string[] = [];
const mockUseAzureMonitor = jest.fn();
const mockEmit = jest.fn();
jest.mock('@azure/monitor-opentelemetry', () => {
  mockLoaded.push('@azure/monitor-opentelemetry');
  return { useAzureMonitor: mockUseAzureMonitor, shutdownAzureMonitor: jest.fn(async () => undefined) };
});
jest.mock('@opentelemetry/api', () => {
  mockLoaded.push('@opentelemetry/api');
  return { trace: { getActiveSpan: () => ({ spanContext: () => ({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' }) }) } };
});
jest.mock('@opentelemetry/api-logs', () => {
  mockLoaded.push('@opentelemetry/api-logs');
  return { logs: { getLogger: () => ({ emit: mockEmit }) }, SeverityNumber: {} };
});

const CONNECTION_STRING = 'InstrumentationKey=5e1c2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';

beforeEach(() => {
  mockLoaded.length = 0;
  jest.clearAllMocks();
});

describe('APPLICATIONINSIGHTS_CONNECTION_STRING', () => {
  test.each([
    ['absent', {}],
    ['empty', { APPLICATIONINSIGHTS_CONNECTION_STRING: '' }],
  ])('%s: telemetry is off and Azure Monitor is never loaded', async (_case, env) => {
    const config = loadConfig(env, { local: true });
    expect(await startTelemetry(config.applicationInsightsConnectionString)).toBeUndefined();
    expect(mockLoaded).toEqual([]);
    expect(mockUseAzureMonitor).not.toHaveBeenCalled();
  });

  test('set: Azure Monitor starts with it, and log lines carry the request’s trace and reach Application Insights as log records', async () => {
    const config = loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING }, { local: true });
    const telemetry = await startTelemetry(config.applicationInsightsConnectionString);
    expect(mockLoaded.sort()).toEqual(['@azure/monitor-opentelemetry', '@opentelemetry/api', '@opentelemetry/api-logs']);
    expect(mockUseAzureMonitor).toHaveBeenCalledTimes(1);
    expect(mockUseAzureMonitor.mock.calls[0][0]).toMatchObject({ azureMonitorExporterOptions: { connectionString: CONNECTION_STRING } });

    const log = createLogger('info', telemetry);
    log.info({ boardId: 'demo-board', caller: { token: 'eyJ.secret' } }, 'credit given');
    await new Promise((resolve) => setImmediate(resolve));
    expect(mockEmit).toHaveBeenCalledWith({
      severityNumber: 9,
      severityText: 'INFO',
      body: 'credit given',
      attributes: expect.objectContaining({ boardId: 'demo-board', caller: JSON.stringify({ token: '[redacted]' }), trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' }),
    });
  });

  test.each(['not-a-connection-string', 'InstrumentationKey=abc', 'IngestionEndpoint=https://x.in.applicationinsights.azure.com/'])(
    'malformed (%s): the server refuses to start, naming the setting but not echoing it',
    (value) => {
      let error: unknown;
      try {
        loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: value }, { local: true });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/APPLICATIONINSIGHTS_CONNECTION_STRING must be an Application Insights connection string/);
      expect((error as Error).message).not.toContain(value);
    },
  );
});
