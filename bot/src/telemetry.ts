import { Writable } from 'node:stream';

/** Traces and logs to Application Insights, started only when a connection string is set. */
export interface Telemetry {
  /** For pino: the active span's ids on every line, so a log line joins its request. */
  mixin(): Record<string, string>;
  /** For pino: each JSON line also sent as an OpenTelemetry log record, in the request's context. */
  logRecords: Writable;
  /** Flushes what is still buffered; the shutdown awaits it. */
  shutdown(): Promise<void>;
}

/** The parts of OpenTelemetry the app uses, loaded together and only when telemetry is on. */
export interface TelemetryModules {
  monitor: Pick<typeof import('@azure/monitor-opentelemetry'), 'useAzureMonitor' | 'shutdownAzureMonitor'>;
  api: Pick<typeof import('@opentelemetry/api'), 'trace'>;
  logs: Pick<typeof import('@opentelemetry/api-logs'), 'logs' | 'SeverityNumber'>;
}

/** Loads Azure Monitor's distribution; a dynamic import, so without the setting it is never loaded. */
export async function loadTelemetryModules(): Promise<TelemetryModules> {
  const [monitor, api, logs] = await Promise.all([import('@azure/monitor-opentelemetry'), import('@opentelemetry/api'), import('@opentelemetry/api-logs')]);
  return { monitor, api, logs };
}

/** pino's numeric levels and OpenTelemetry's severities. */
const SEVERITY: Record<number, [number, string]> = { 10: [1, 'TRACE'], 20: [5, 'DEBUG'], 30: [9, 'INFO'], 40: [13, 'WARN'], 50: [17, 'ERROR'], 60: [21, 'FATAL'] };

/**
 * Starts Azure Monitor when `connectionString` is set (APPLICATIONINSIGHTS_CONNECTION_STRING):
 * HTTP requests and Azure SDK calls (Cosmos DB) as traces, and the logs, correlated. Must run
 * before the server's modules load, so their HTTP calls are instrumented. Off, it loads nothing.
 */
export async function startTelemetry(connectionString: string | undefined, load: () => Promise<TelemetryModules> = loadTelemetryModules): Promise<Telemetry | undefined> {
  if (!connectionString) return undefined;
  const { monitor, api, logs } = await load();
  monitor.useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    instrumentationOptions: { http: { enabled: true }, azureSdk: { enabled: true } },
  });
  const logger = logs.logs.getLogger('noticed');
  const logRecords = new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        const { level, msg, time: _time, ...attributes } = JSON.parse(chunk.toString('utf8')) as { level: number; msg?: string; time?: number } & Record<string, unknown>;
        const [severityNumber, severityText] = SEVERITY[level] ?? [9, 'INFO'];
        logger.emit({ severityNumber, severityText, body: msg ?? '', attributes: flatten(attributes) });
      } catch {
        // A line that is not JSON is not pino's; stdout still has it.
      }
      done();
    },
  });
  return {
    mixin(): Record<string, string> {
      const context = api.trace.getActiveSpan()?.spanContext();
      return context ? { trace_id: context.traceId, span_id: context.spanId } : {};
    },
    logRecords,
    shutdown: () => monitor.shutdownAzureMonitor(),
  };
}

/** Log record attributes are flat values: nested objects (an error) go as JSON text. */
function flatten(values: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    else if (value !== undefined && value !== null) out[key] = JSON.stringify(value);
  }
  return out;
}
