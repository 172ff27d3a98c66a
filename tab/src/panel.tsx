import { tokens } from '@fluentui/react-theme';
import { makeStyles, mergeClasses } from '@griffel/react';
import type { HTMLAttributes } from 'react';

const usePanelStyles = makeStyles({
  panel: {
    boxSizing: 'border-box',
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    boxShadow: tokens.shadow4,
    // A real border, so panels keep their edges in high contrast where shadows vanish.
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
});

/** A card-like surface: Fluent's look with a plain element (the Card component costs 6 KB for nothing we use). */
export function Panel({ className, ...rest }: HTMLAttributes<HTMLDivElement>) {
  const styles = usePanelStyles();
  return <div className={mergeClasses(styles.panel, className)} {...rest} />;
}
