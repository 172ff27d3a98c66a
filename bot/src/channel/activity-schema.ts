import { z } from 'zod';
import { idSchema, tenantIdSchema } from '../../../core';

/**
 * Bounds on what Noticed reads from an activity. Teams caps a message at about 28 KB, so
 * these are far above anything a person can send and far below what would slow a turn down.
 */
export const ACTIVITY_LIMITS = { textMax: 40_000, messageHtmlMax: 64_000, nameMax: 500, entitiesMax: 500, membersMax: 5_000, fieldMax: 10_000 } as const;

/** The channels Noticed serves. The terminal chat and Microsoft 365 Agents Playground both play Teams, so they send `msteams` too. */
export const SERVED_CHANNELS = ['msteams'] as const;

const printable = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[\x21-\x7e]+$/, 'must be printable characters without spaces');

const name = z.string().max(ACTIVITY_LIMITS.nameMax).nullish();
const field = z.string().max(ACTIVITY_LIMITS.fieldMax).nullish();

/** A person or bot as an activity names them: the sender, the bot, someone added, removed or mentioned. */
const account = z.looseObject({ id: idSchema, name, aadObjectId: idSchema.nullish() });

const mention = z.looseObject({
  type: z.literal('mention'),
  text: z.string().max(ACTIVITY_LIMITS.nameMax + 20),
  mentioned: z.looseObject({ id: idSchema, name }),
});

/** An entity: Noticed reads mentions only, so only their shape is checked; the rest is passed on as Teams sent it. */
const entity = z.looseObject({ type: z.string().max(100) }).superRefine((value, ctx) => {
  if (value.type !== 'mention') return;
  const parsed = mention.safeParse(value);
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});

/** The fields of card and form data the bot's buttons and the message extension's form send. */
const formData = z.looseObject({
  boardId: field,
  creditId: field,
  formKey: field,
  people: field,
  message: field,
  kind: field,
  private: field,
});

const cardAction = z.looseObject({
  action: z.looseObject({ type: z.string().max(100), verb: z.string().max(100).nullish(), data: formData.optional() }),
});

const messageExtensionAction = z.looseObject({
  commandId: z.string().max(100).nullish(),
  data: formData.optional(),
  messagePayload: z
    .looseObject({
      id: field,
      linkToMessage: field,
      from: z.looseObject({ user: z.looseObject({ id: field, displayName: name }).optional() }).optional(),
      body: z.looseObject({ content: z.string().max(ACTIVITY_LIMITS.messageHtmlMax).nullish() }).optional(),
    })
    .optional(),
});

/** The value Noticed reads for each invoke it answers; other invokes keep botbuilder's own answer. */
const INVOKE_VALUES = new Map<string, z.ZodType>([
  ['adaptiveCard/action', cardAction],
  ['composeExtension/fetchTask', messageExtensionAction],
  ['composeExtension/submitAction', messageExtensionAction],
]);

/**
 * The fields of an activity that Noticed or botbuilder read, strict about their types and
 * lenient about everything else Teams adds. Objects the handlers open may be absent, never null.
 */
export const activitySchema = z
  .looseObject({
    type: z.string().min(1).max(64),
    name: z.string().max(256).nullish(),
    id: printable(1024).nullish(),
    channelId: z.string().max(64),
    serviceUrl: z
      .string()
      .max(2048)
      .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'must be an http or https URL'),
    locale: z.string().max(64).nullish(),
    timestamp: z.string().max(64).nullish(),
    localTimestamp: z.string().max(64).nullish(),
    from: account,
    recipient: account,
    conversation: z.looseObject({
      id: printable(1024),
      conversationType: z.string().max(64).nullish(),
      tenantId: tenantIdSchema.nullish(),
      name,
      isGroup: z.boolean().nullish(),
    }),
    channelData: z
      .looseObject({
        tenant: z.looseObject({ id: tenantIdSchema }).optional(),
        team: z.looseObject({ id: idSchema, name }).optional(),
        channel: z.looseObject({ id: printable(1024), name }).optional(),
        eventType: z.string().max(100).nullish(),
      })
      .optional(),
    text: z.string().max(ACTIVITY_LIMITS.textMax).nullish(),
    entities: z.array(entity).max(ACTIVITY_LIMITS.entitiesMax).nullish(),
    membersAdded: z.array(account).max(ACTIVITY_LIMITS.membersMax).nullish(),
    membersRemoved: z.array(account).max(ACTIVITY_LIMITS.membersMax).nullish(),
    replyToId: printable(1024).nullish(),
    value: z.unknown().optional(),
  })
  .superRefine((activity, ctx) => {
    const fromChannel = activity.channelData?.tenant?.id;
    const fromConversation = activity.conversation.tenantId;
    // Two tenants in one activity would let one of them pass the allow-list while the other is written to.
    if (fromChannel && fromConversation && fromChannel.toLowerCase() !== fromConversation.toLowerCase()) {
      ctx.addIssue({ code: 'custom', message: 'names a different tenant than channelData.tenant.id', path: ['conversation', 'tenantId'] });
    }
    const valueSchema = activity.type === 'invoke' && activity.name ? INVOKE_VALUES.get(activity.name) : undefined;
    if (!valueSchema) return;
    const parsed = valueSchema.safeParse(activity.value);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: ['value', ...issue.path] });
  });

/** An activity that passed the schema. */
export type ValidActivity = z.infer<typeof activitySchema>;

/** Why an activity was refused, in words safe to send back: the first field that does not fit. */
export type ActivityCheck = { ok: true; activity: ValidActivity } | { ok: false; code: 'invalid' | 'unsupported_channel'; message: string; field?: string };

/** Checks an activity at the edge, before botbuilder or any handler sees it. */
export function checkActivity(body: unknown, channels: readonly string[] = SERVED_CHANNELS): ActivityCheck {
  const parsed = activitySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.map(String).join('.');
    return { ok: false, code: 'invalid', message: `The activity is not one Noticed can read: ${field ? `${field}: ` : ''}${issue.message}`, field: field || undefined };
  }
  if (!channels.includes(parsed.data.channelId)) {
    return { ok: false, code: 'unsupported_channel', message: 'Noticed serves Microsoft Teams only.', field: 'channelId' };
  }
  return { ok: true, activity: parsed.data };
}
