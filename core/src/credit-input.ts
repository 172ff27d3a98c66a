import { z } from 'zod';
import { OUTLOOK_ITEM_ID, OUTLOOK_ITEM_ID_MAX } from './email-evidence';
import { KIND_IDS } from './kinds';

/** Limits from DESIGN §6. */
export const LIMITS = { messageMax: 1000, recipientsMax: 10, nameMax: 200, urlMax: 2048, titleMax: 300 } as const;

/** An id as Teams and Entra spell them: printable, no spaces, bounded. */
export const idSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .regex(/^[A-Za-z0-9:@._\-=+/]+$/, 'has characters an id cannot have');

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An Entra tenant id: a GUID, in either case. The one rule the bot's activities, the API's
 * tokens and the allow-list in config share, so a credit made in a tenant can always be seen.
 */
export const tenantIdSchema = z.string().regex(GUID, 'must be an Entra tenant id (a GUID)');

/** Whether a value is a tenant id by that rule. */
export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

const httpUrl = z
  .string()
  .max(LIMITS.urlMax)
  .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'must be an http or https URL');

/** An email's Outlook item id: the only characters such ids have, bounded (the link to the message is built from it). */
export const outlookItemIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(OUTLOOK_ITEM_ID_MAX, `must be at most ${OUTLOOK_ITEM_ID_MAX} characters`)
  .regex(OUTLOOK_ITEM_ID, 'is not an Outlook item id');

/** Someone to credit, by roster user id or by email. */
export const recipientInputSchema = z
  .object({
    userId: idSchema.optional(),
    email: z.email('must be an email address').max(320).optional(),
    name: z.string().trim().min(1).max(LIMITS.nameMax).optional(),
  })
  .refine((r) => r.userId || r.email, 'needs a userId or an email');

/** What a person gives when they credit someone, from any surface. */
export const creditInputSchema = z.object({
  recipients: z
    .array(recipientInputSchema)
    .min(1, 'name at least one person to credit')
    .max(LIMITS.recipientsMax, `credit at most ${LIMITS.recipientsMax} people at once`),
  message: z
    .string()
    .trim()
    .min(1, 'say what the work was')
    .max(LIMITS.messageMax, `keep it under ${LIMITS.messageMax} characters`),
  kind: z.enum(KIND_IDS, { error: `must be one of ${KIND_IDS.join(', ')}` }).optional(),
  evidence: z
    .object({
      type: z.enum(['teams-message', 'email', 'link']),
      url: httpUrl.optional(),
      title: z.string().trim().max(LIMITS.titleMax).optional(),
      ref: z.string().max(1024).optional(),
      itemId: outlookItemIdSchema.optional(),
    })
    .refine((e) => !e.itemId || e.type === 'email', { message: 'only an email has an Outlook item id', path: ['itemId'] })
    .optional(),
  visibility: z.enum(['board', 'private']).optional(),
  inspiredBy: idSchema.optional(),
});

/** A validated credit request. */
export type CreditInput = z.infer<typeof creditInputSchema>;
