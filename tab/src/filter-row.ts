import { tokens } from '@fluentui/react-theme';
import { makeStyles } from '@griffel/react';

/** The filter row's box, shared by the filters and the space kept for them while they load. */
export const useFilterRowStyles = makeStyles({
  // The height of a labelled dropdown, so the cards do not jump when the filters arrive.
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL, alignItems: 'flex-end', marginBottom: tokens.spacingVerticalL, minHeight: '58px' },
});
