import { Avatar } from '@fluentui/react-avatar';
import { Text } from '@fluentui/react-text';
import { tokens } from '@fluentui/react-theme';
import { makeStyles } from '@griffel/react';
import type { Person } from '../../core/browser';
import { names } from './format';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  faces: { display: 'inline-flex', gap: tokens.spacingHorizontalXXS },
});

/** One person's initials in a coloured circle: from the name only, no photo fetched; hidden from screen readers, as the name beside it is the text. */
export function InitialsAvatar({ name, size = 24 }: { name: string; size?: 16 | 20 | 24 | 28 | 32 }) {
  return <Avatar name={name} size={size} color="colorful" aria-hidden data-testid="avatar" />;
}

/** People's initials beside their names: initials from the name only, as no photo is ever fetched; decorative, since the names are the text. */
export function PeopleWithAvatars({ people, className }: { people: Array<Pick<Person, 'name'>>; className?: string }) {
  const styles = useStyles();
  return (
    <div className={styles.row}>
      <span className={styles.faces} aria-hidden>
        {people.map((p, i) => (
          <InitialsAvatar key={`${i}-${p.name}`} name={p.name} />
        ))}
      </span>
      <Text weight="semibold" className={className}>
        {names(people)}
      </Text>
    </div>
  );
}
