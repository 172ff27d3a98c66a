/** One piece of text an Adaptive Card shows, with the element that shows it. */
export interface CardText {
  element: 'TextBlock' | 'TextRun' | 'Fact' | 'Input' | 'Action';
  text: string;
}

/** Everything a person would read on the card, in order: texts, facts, inputs and buttons. */
export function cardTexts(card: unknown): CardText[] {
  const out: CardText[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Record<string, unknown>;
    if (n.type === 'TextBlock') out.push({ element: 'TextBlock', text: String(n.text) });
    if (n.type === 'TextRun') out.push({ element: 'TextRun', text: String(n.text) });
    if (n.type === 'FactSet') for (const f of n.facts as Array<{ title: string; value: string }>) out.push({ element: 'Fact', text: `${f.title}: ${f.value}` });
    if (typeof n.type === 'string' && n.type.startsWith('Input.')) out.push({ element: 'Input', text: String(n.label ?? n.title ?? n.id) });
    if (typeof n.type === 'string' && n.type.startsWith('Action.')) out.push({ element: 'Action', text: String(n.title) });
    // A card's refresh is what Teams asks for on its own, never something a person reads or clicks.
    for (const [key, value] of Object.entries(n)) if (key !== 'actions' && key !== 'refresh' && typeof value === 'object') walk(value);
    if (Array.isArray(n.actions)) walk(n.actions);
  };
  walk(card);
  return out;
}
