import {
  ActivityTypes,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  TeamsActivityHandler,
  type TurnContext,
} from 'botbuilder';
import { CardActions } from './card-actions';
import type { BotDeps } from './channel-parts';
import { CreditPosting } from './credit-posting';
import { InstallEvents } from './install-events';
import { MessageCommands } from './message-commands';
import { MessageExtension } from './message-extension';
import { message, taskMessage } from './replies';
import { SettingsForms } from './settings-forms';
import { TeamsRoster } from './teams-roster';
import { callerOf, tenantOf } from './turn-identity';

export type { BotDeps } from './channel-parts';

/**
 * The Teams channel adapter: turns activities into domain calls and results into cards.
 * Every rule (who may credit whom, limits, idempotency) lives in core; each kind of
 * activity has its handler beside this file, and this class only routes to them.
 */
export class NoticedBot extends TeamsActivityHandler {
  private readonly allowedTenants: ReadonlySet<string>;
  private readonly cardActions: CardActions;
  private readonly messageExtension: MessageExtension;
  private readonly forms: SettingsForms;

  constructor(deps: BotDeps) {
    super();
    this.allowedTenants = new Set(deps.allowedTenants.map((t) => t.toLowerCase()));
    const posting = new CreditPosting(deps.noticed, deps.rosters, deps.appId, deps.creditNotices);
    this.forms = new SettingsForms(deps.noticed, deps.boardSettings, deps.preferences, posting);
    const parts = {
      noticed: deps.noticed,
      rosters: deps.rosters,
      habits: deps.habits,
      log: deps.log,
      teams: new TeamsRoster(deps.rosters, deps.log),
      posting,
      forms: this.forms,
    };
    const commands = new MessageCommands(parts);
    const installs = new InstallEvents(parts);
    this.cardActions = new CardActions(parts);
    this.messageExtension = new MessageExtension(parts);

    this.onMessage(async (context, next) => {
      await commands.handle(context);
      await next();
    });
    this.onTeamsMembersAddedEvent(async (membersAdded, _team, context, next) => {
      await installs.membersAdded(context, membersAdded);
      await next();
    });
    this.onTeamsMembersRemovedEvent(async (membersRemoved, _team, context, next) => {
      await installs.membersRemoved(context, membersRemoved);
      await next();
    });
    this.onTeamsTeamRenamedEvent(async (team, context, next) => {
      await installs.teamRenamed(context, team);
      await next();
    });
  }

  /**
   * The tenant allow-list, once, before any handler runs, so no handler can forget it: without
   * it a bot registration shared across tenants would keep boards and rosters for any of them.
   * A person who writes gets a polite answer; roster and team events are ignored.
   */
  protected override async onTurnActivity(context: TurnContext): Promise<void> {
    if (this.allowedTenants.has(tenantOf(context))) return super.onTurnActivity(context);
    const { type, name } = context.activity;
    const notEnabled = 'Noticed is not enabled for your organization yet. Ask your Teams admin.';
    if (type === ActivityTypes.Message) {
      await context.sendActivity(notEnabled);
      return;
    }
    // Invokes Noticed answers get an answer of their own type; any other keeps botbuilder's 501.
    const body =
      name === 'adaptiveCard/action' ? message(notEnabled) : name === 'composeExtension/fetchTask' || name === 'composeExtension/submitAction' ? taskMessage(notEnabled) : undefined;
    if (type === ActivityTypes.Invoke && body) await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    if (this.forms.handles(value.action?.verb)) return this.forms.handle(context, callerOf(context), value);
    return this.cardActions.handle(context, value);
  }

  protected override async handleTeamsMessagingExtensionFetchTask(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return this.messageExtension.fetchTask(context, action);
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return this.messageExtension.submitAction(context, action);
  }
}
