import { KINDS, type Kind, kindFromHashtags } from './kinds';

/**
 * Word stems and phrases that suggest each kind. Matched at word starts, case-folded, so
 * "automating" and "Automated" both hit "automat". Phrases weigh more than single words
 * because they are less ambiguous ("before it broke" beats a stray "fix").
 */
const CUES: Record<Kind, readonly string[]> = {
  prevented: [
    'caught', 'catch', 'spotted', 'spotting', 'noticed', 'flagged', 'prevent', 'averted', 'avert',
    'before it broke', 'before release', 'before launch', 'before it went', 'before it hit',
    'before production', 'saved us', 'close call', 'near miss', 'regression', 'vulnerab',
    'typo', 'found the bug', 'found a bug', 'double-check', 'double check', 'review caught',
    'edge case', 'rollback', 'rolled back', 'outage', 'incident', 'security hole', 'leak',
  ],
  improved: [
    'automat', 'streamlin', 'documented', 'documentation', 'docs', 'runbook', 'playbook',
    'refactor', 'simplif', 'template', 'process', 'pipeline', 'script', 'tooling', 'workflow',
    'faster', 'cleaned up', 'clean up', 'checklist', 'wiki', 'dashboard', 'ci ', 'build time',
    'cut the', 'reduced', 'improv', 'organized', 'organised', 'standardi',
  ],
  sustained: [
    'mentor', 'morale', 'onboard', 'welcom', 'culture', 'motivat', 'cheer', 'encourag',
    'coach', 'kept everyone', 'kept the team', 'kept us', 'team spirit', 'listened', 'check-in',
    'check in on', 'celebrat', 'retro', 'calm', 'patience', 'patient', 'taught', 'teaching',
    'new hire', 'new joiner', 'pair', 'supportive', 'energy', 'lunch', 'offsite', 'kindness',
  ],
  delivered: [
    'shipped', 'ship ', 'launch', 'released', 'release went', 'closed the deal', 'deal',
    'won ', 'win', 'delivered', 'hit the deadline', 'went live', 'go-live', 'go live',
    'landed', 'signed', 'record', 'demo', 'presented', 'milestone', 'quarter', 'revenue',
    'customer signed', 'feature', 'completed', 'finished',
  ],
  enabled: [
    'unblock', 'helped', 'help', 'support', 'covered', 'cover for', 'stepped in', 'made it possible',
    'paired', 'answered', 'jumped in', 'set up', 'setup', 'provision', 'access', 'prepared',
    'prep', 'behind the scenes', 'background', 'legwork', 'data', 'research', 'introduc',
    'made time', 'took over', 'on call', 'on-call', 'handled',
  ],
};

const PHRASE_WEIGHT = 2;
const WORD_WEIGHT = 1;

/** A per-kind score for the text; higher means a stronger suggestion. */
export function scoreKinds(text: string): Record<Kind, number> {
  const folded = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}'\- ]+/gu, ' ').replace(/\s+/g, ' ')} `;
  const scores = {} as Record<Kind, number>;
  for (const { id } of KINDS) {
    let score = 0;
    for (const cue of CUES[id]) {
      if (folded.includes(` ${cue}`)) score += cue.trim().includes(' ') ? PHRASE_WEIGHT : WORD_WEIGHT;
    }
    scores[id] = score;
  }
  return scores;
}

/**
 * Suggests a kind for a credit's text. A hashtag that names a kind always wins; otherwise
 * the highest keyword score, ties broken by the taxonomy order (behind-the-scenes kinds
 * first), and `enabled` when nothing matches. Deterministic: the same text, the same kind.
 */
export function suggestKind(text: string): Kind {
  const tagged = kindFromHashtags(text);
  if (tagged) return tagged;
  const scores = scoreKinds(text);
  let best: Kind = 'enabled';
  let bestScore = 0;
  for (const { id } of KINDS) {
    if (scores[id] > bestScore) {
      best = id;
      bestScore = scores[id];
    }
  }
  return best;
}
