// Teams played locally, for tests, benches and `npm run chat`: a connector that records what the
// bot sends, activity builders shaped as Teams sends them, and a card's texts. Production code
// never imports these (eslint.config.mjs says so).
export { type ConnectorCall, type ConnectorFault, type TeamsConnector, type TeamsMember, cardsOf, startTeamsConnector } from './src/dev/local-connector';
export {
  type Where,
  botInstalledInTeam,
  cardAction,
  channelMessage,
  fetchTask,
  groupChatMessage,
  membersChanged,
  messagePayload,
  personalCardAction,
  personalMessage,
  submitAction,
  teamRenamed,
  withMentions,
} from './src/dev/teams-activities';
export { type CardText, cardTexts } from './src/dev/card-text';
export { type ChatOptions, LOCAL_BOT, demoMembers, mentionParts, renderCard, runChat } from './src/dev/terminal-chat';
