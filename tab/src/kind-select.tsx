import { Select } from '@fluentui/react-select';
import { useEffect, useRef } from 'react';
import { KINDS, type Kind } from '../../core/browser';

/**
 * The Change kind control on the viewer's own credits. Fluent's Select is a twelfth of the
 * board's first code and most cards on screen are other people's, so it loads beside the board.
 */
export default function KindSelect({ labelledBy, kind, disabled, focus, onChange }: {
  labelledBy: string;
  kind: Kind;
  disabled: boolean;
  /** Take focus on mount: the card has just moved to its new kind's group. */
  focus?: boolean;
  onChange(kind: string): void;
}) {
  const select = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (focus) select.current?.focus();
  }, [focus]);
  return (
    <Select ref={select} size="small" aria-labelledby={labelledBy} value={kind} disabled={disabled} onChange={(_, data) => onChange(data.value)}>
      {KINDS.map((k) => (
        <option key={k.id} value={k.id}>
          {k.label}
        </option>
      ))}
    </Select>
  );
}
