import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import { type Activity, ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions, type InvokeResponse, type TurnContext } from 'botbuilder';
import { StoreUnavailable, asStoreFault, withinDeadline } from '../../../core';
import type { Config } from '../config';
import { STORE_UNAVAILABLE_REPLY } from './replies';

/** The turn-state key under which the HTTP layer puts the request's correlation id. */
export const CORRELATION_ID = 'noticed.correlationId';

/** The turn-state key of the work a turn leaves for after its answer (`afterAnswer`). */
const AFTER_ANSWER = 'noticed.afterAnswer';

/**
 * Leaves work Teams does not wait for (noting where a card went, the notices it starts) until
 * the turn has answered: it runs once the answer is on its way, under the turn's store deadline,
 * and the adapter's `drain` (so `App.close`) waits for it. A failure is logged, never shown: the
 * chat already has its answer. Outside the adapter's turns (no answer to wait for), it runs now.
 */
export async function afterAnswer(context: TurnContext, work: () => Promise<unknown>): Promise<void> {
  const later = context.turnState.get(AFTER_ANSWER) as Array<() => Promise<unknown>> | undefined;
  if (later) later.push(work);
  else await work();
}

/**
 * The longest one call to the Teams connector may take, its retries included. botbuilder's
 * client retries a failed call three times with backoff (7 s and more against a dead
 * serviceUrl), and a turn makes several calls: unbounded, one turn outlasts Teams' 15 s.
 */
export const CONNECTOR_CALL_MS = 3000;

/** When a turn answers Teams at the latest, whatever it is still waiting for, and how long each of its connector calls may take. */
export interface TurnDeadlines {
  /** Invokes (card buttons, the message extension): Teams gives up on them after 5 s. */
  invokeMs: number;
  /** Messages and events: Teams redelivers them after 15 s; Noticed answers within 10 s. */
  messageMs: number;
  /** One call to the Teams connector, its retries included. */
  connectorCallMs: number;
}

/**
 * Below Teams' own limits, with room for the HTTP round trip. Issue #18 asks for one deadline
 * per request of 5 s (invokes) and 10 s (messages); Teams gives up on an invoke at 5 s, so the
 * turn is answered by 4 s and 8 s, inside both.
 */
export const TURN_DEADLINES: Readonly<TurnDeadlines> = { invokeMs: 4000, messageMs: 8000, connectorCallMs: CONNECTOR_CALL_MS };

/**
 * How long a turn's store calls, all their retries included, may take: the turn's deadline less
 * one connector call, so the sentence saying nothing was saved still reaches the chat inside the
 * turn's deadline; at least half the turn, so a slow connector bound never starves the store.
 */
export function storeBudgetMs(deadlines: Readonly<TurnDeadlines>, invoke: boolean): number {
  const turnMs = invoke ? deadlines.invokeMs : deadlines.messageMs;
  return Math.max(turnMs - deadlines.connectorCallMs, turnMs / 2);
}

/** What a late invoke answers, in the shape its invoke name needs, so Teams shows a sentence instead of an error. */
const LATE_TEXT = 'This is taking longer than it should. Anything you saved is kept; try again in a moment.';

const LATE: unique symbol = Symbol('late');

/** The pipeline policy shape of @azure/core-rest-pipeline, which botbuilder's connector client runs its calls through. */
interface PipelinePolicy {
  name: string;
  sendRequest(request: { abortSignal?: AbortSignal }, next: (request: { abortSignal?: AbortSignal }) => Promise<unknown>): Promise<unknown>;
}

/** A deadline on each call, its retries included. */
function callDeadline(callMs: number): PipelinePolicy {
  return {
    name: 'noticedConnectorCallDeadline',
    async sendRequest(request, next) {
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(new Error(`the Teams connector did not answer within ${callMs} ms`)), callMs);
      request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal, timeout.signal]) : timeout.signal;
      try {
        return await next(request);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Bounds every call the turn's connector client makes (replies, updates, roster lookups).
 * botbuilder 4.23 offers no option for it: ConnectorFactoryImpl replaces any
 * requestPolicyFactories given, so the policy goes on the client's own pipeline, where a
 * policy without a phase runs outside the retry policy. Returns false if the SDK's shape
 * changed; the turn deadline still holds then.
 */
export function boundConnectorCalls(client: unknown, callMs = CONNECTOR_CALL_MS): boolean {
  const pipeline = (client as { client?: { pipeline?: { addPolicy?: (policy: PipelinePolicy) => void; getOrderedPolicies?: () => Array<{ name: string }> } } } | undefined)?.client?.pipeline;
  if (typeof pipeline?.addPolicy !== 'function' || typeof pipeline.getOrderedPolicies !== 'function') return false;
  if (!pipeline.getOrderedPolicies().some((p) => p.name === 'noticedConnectorCallDeadline')) pipeline.addPolicy(callDeadline(callMs));
  return true;
}

/**
 * Bot Framework authentication from the config. With no bot settings (local mode only, see
 * config.ts) botbuilder accepts anonymous requests; config refuses that anywhere but loopback.
 */
export function botAuthentication(config: Config, overrides: ConfigurationBotFrameworkAuthenticationOptions = {}): BotFrameworkAuthentication {
  const bot = config.bot;
  const options: ConfigurationBotFrameworkAuthenticationOptions = bot
    ? { MicrosoftAppId: bot.appId, MicrosoftAppPassword: bot.password, MicrosoftAppTenantId: bot.tenantId, MicrosoftAppType: bot.type }
    : {};
  return new ConfigurationBotFrameworkAuthentication({ ...options, ...overrides });
}

/** CloudAdapter with its activity entry point public, so the endpoint owns the HTTP answer. */
export class BotAdapter extends CloudAdapter {
  /** Turns answered at their deadline and still running, and work left for after a turn's answer. */
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    auth: BotFrameworkAuthentication,
    private readonly log: Logger,
    /** The deadlines its turns run under. */
    readonly deadlines: Readonly<TurnDeadlines> = TURN_DEADLINES,
  ) {
    super(auth);
  }

  /**
   * Resolves once no turn answered at its deadline, and no work left for after an answer, is
   * still running: their connector and store calls are bounded, so this ends.
   */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** Runs, in order, the work the turn left for after its answer (`afterAnswer`), once the turn is over and answered. */
  private async afterTheAnswer(turn: Promise<unknown>, later: ReadonlyArray<() => Promise<unknown>>, storeDeadline: AbortSignal): Promise<void> {
    await turn.catch(() => undefined);
    if (!later.length) return;
    // The endpoint writes the answer as soon as `handle` returns, in this tick: the work comes after it.
    await new Promise((resolve) => setImmediate(resolve));
    await withinDeadline(storeDeadline, async () => {
      for (const work of later) await work().catch((error: unknown) => this.log.warn({ err: error }, "work after a turn's answer failed"));
    });
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /**
   * Authenticates the request and runs the turn; returns the invoke response, if any. A turn
   * still running at its deadline is answered there and finishes on its own: what it wrote
   * stays written, and its remaining connector calls are bounded too.
   */
  async handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    let authenticated!: () => void;
    const started = new Promise<void>((resolve) => (authenticated = resolve));
    const invoke = activity.type === 'invoke';
    // One deadline for every store call of the turn: past it they fail fast as StoreUnavailable.
    const storeDeadline = new AbortController();
    const storeTimer = setTimeout(() => storeDeadline.abort(new StoreUnavailable()), storeBudgetMs(this.deadlines, invoke));
    const later: Array<() => Promise<unknown>> = [];
    const turn = withinDeadline(storeDeadline.signal, () =>
      this.processActivity(authHeader, activity, async (context) => {
        authenticated();
        context.turnState.set(AFTER_ANSWER, later);
        if (!boundConnectorCalls(context.turnState.get(this.ConnectorClientKey), this.deadlines.connectorCallMs)) this.log.warn('connector calls are not bounded: the connector client has no pipeline to add to');
        await logic(context);
      }),
    );
    this.track(this.afterTheAnswer(turn, later, storeDeadline.signal).finally(() => clearTimeout(storeTimer)));
    const ms = invoke ? this.deadlines.invokeMs : this.deadlines.messageMs;
    let timer: NodeJS.Timeout | undefined;
    const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    // Only an authenticated turn is answered early: a request that has not proved it comes from Teams gets nothing but its refusal.
    const late = Promise.all([elapsed, started]).then((): typeof LATE => LATE);
    try {
      const first: InvokeResponse | undefined | typeof LATE = await Promise.race([turn, late]);
      if (first !== LATE) return first;
    } finally {
      clearTimeout(timer);
    }
    this.log.warn({ activityType: activity.type, name: activity.name, deadlineMs: ms }, 'turn passed its deadline; answered, and it goes on');
    this.track(turn.catch((error: unknown) => this.log.error({ err: error }, 'a turn past its deadline failed')));
    return lateAnswer(activity);
  }
}

/** The answer to a turn past its deadline: nothing for messages, a short sentence in the invoke's own shape. */
function lateAnswer(activity: Activity): InvokeResponse | undefined {
  if (activity.type !== 'invoke') return undefined;
  if (activity.name === 'adaptiveCard/action') {
    return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: LATE_TEXT } };
  }
  if (activity.name?.startsWith('composeExtension/') || activity.name?.startsWith('task/')) {
    return { status: 200, body: { task: { type: 'message', value: LATE_TEXT } } };
  }
  return { status: 200 };
}

/** The adapter, with an error handler that apologises without showing the error. */
export function createBotAdapter(auth: BotFrameworkAuthentication, log: Logger, deadlines: Readonly<TurnDeadlines> = TURN_DEADLINES): BotAdapter {
  const adapter = new BotAdapter(auth, log, deadlines);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const correlationId = (context.turnState.get(CORRELATION_ID) as string | undefined) ?? randomUUID();
    log.error({ err: error, correlationId, activityType: context.activity.type }, 'bot turn failed');
    // Events (a member added, a rename, the install) were typed by no one: an apology in the
    // channel would puzzle everyone in it. The log keeps them.
    if (context.activity.type !== ActivityTypes.Message && context.activity.type !== ActivityTypes.Invoke) return;
    try {
      if (asStoreFault(error)) {
        await context.sendActivity(STORE_UNAVAILABLE_REPLY);
        return;
      }
      // error.message may hold driver or SDK internals: the user gets an apology and an id.
      await context.sendActivity(`Sorry, something went wrong on my side. If it keeps happening, give your admin this reference: ${correlationId}`);
    } catch (sendError) {
      log.error({ err: sendError, correlationId }, 'could not send the apology');
    }
  };
  return adapter;
}
