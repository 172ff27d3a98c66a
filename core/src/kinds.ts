/** The five contribution kinds; four of them are behind-the-scenes work (DESIGN §2). */
export const KIND_IDS = ['enabled', 'prevented', 'improved', 'sustained', 'delivered'] as const;

/** A contribution kind id. */
export type Kind = (typeof KIND_IDS)[number];

/** What a kind means to the people who read the board. */
export interface KindInfo {
  id: Kind;
  label: string;
  description: string;
  behindTheScenes: boolean;
  hashtags: readonly string[];
}

/** The taxonomy, in the order the board shows it. */
export const KINDS: readonly KindInfo[] = [
  {
    id: 'enabled',
    label: 'Made it possible',
    description: 'Unblocked, supported or helped someone else deliver.',
    behindTheScenes: true,
    hashtags: ['enabled', 'unblocked', 'support', 'helped'],
  },
  {
    id: 'prevented',
    label: 'Caught it early',
    description: 'Spotted a problem before it became one.',
    behindTheScenes: true,
    hashtags: ['caught', 'prevented', 'saved'],
  },
  {
    id: 'improved',
    label: 'Improved how we work',
    description: 'Made a process, tool or document better for everyone.',
    behindTheScenes: true,
    hashtags: ['process', 'improved', 'automated', 'docs'],
  },
  {
    id: 'sustained',
    label: 'Kept us going',
    description: 'Mentoring, morale, onboarding and the culture that holds a team together.',
    behindTheScenes: true,
    hashtags: ['culture', 'mentoring', 'morale', 'onboarding'],
  },
  {
    id: 'delivered',
    label: 'Delivered the win',
    description: 'Shipped, launched or closed the visible result.',
    behindTheScenes: false,
    hashtags: ['win', 'shipped', 'delivered', 'launch'],
  },
];

const byId = new Map<string, KindInfo>(KINDS.map((k) => [k.id, k]));
const byHashtag = new Map<string, Kind>(KINDS.flatMap((k) => [[k.id, k.id] as const, ...k.hashtags.map((h) => [h, k.id] as const)]));

/** True when the text is one of the five kind ids. */
export function isKind(value: unknown): value is Kind {
  return typeof value === 'string' && byId.has(value);
}

/** The taxonomy entry for a kind. */
export function kindInfo(kind: Kind): KindInfo {
  return byId.get(kind) as KindInfo;
}

/** The kind a hashtag selects (without the `#`, any case), or undefined. */
export function kindFromHashtag(tag: string): Kind | undefined {
  return byHashtag.get(tag.replace(/^#/, '').toLowerCase());
}

/** The first hashtag in the text that selects a kind, or undefined. */
export function kindFromHashtags(text: string): Kind | undefined {
  for (const match of text.matchAll(/(?:^|\s)#([\p{L}\p{N}_-]+)/gu)) {
    const kind = kindFromHashtag(match[1]);
    if (kind) return kind;
  }
  return undefined;
}

/** An empty count per kind. */
export function zeroKindCounts(): Record<Kind, number> {
  return { enabled: 0, prevented: 0, improved: 0, sustained: 0, delivered: 0 };
}
