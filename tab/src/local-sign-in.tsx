import { Button } from '@fluentui/react-button';
import { Caption1, Text, Title2 } from '@fluentui/react-text';
import { tokens } from '@fluentui/react-theme';
import { makeStyles } from '@griffel/react';
import type { LocalPerson } from './local-session';

const useStyles = makeStyles({
  page: { maxWidth: '720px', margin: '0 auto', padding: `${tokens.spacingVerticalXXXL} ${tokens.spacingHorizontalXL}` },
  list: { listStyleType: 'none', padding: 0, margin: `${tokens.spacingVerticalL} 0 0`, display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))', gap: tokens.spacingHorizontalM },
  person: { width: '100%', justifyContent: 'flex-start', gap: tokens.spacingHorizontalS, padding: tokens.spacingVerticalS, height: 'auto' },
  name: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', textAlign: 'left' },
});

/** Local mode only: choose a demo person to sign in as, through the server's local issuer. */
export function LocalSignIn({ people, onPick }: { people: LocalPerson[]; onPick(person: LocalPerson): void }) {
  const styles = useStyles();
  return (
    <main className={styles.page}>
      <Title2 as="h1">Sign in to the demo board</Title2>
      <Text as="p" block>
        Noticed is running in local mode, outside Microsoft Teams. Choose who you are; leads also see insights.
      </Text>
      <ul className={styles.list} aria-label="Demo people">
        {people.map((p) => (
          <li key={p.userId}>
            <Button className={styles.person} appearance="secondary" onClick={() => onPick(p)} aria-label={`Sign in as ${p.name}${p.role === 'lead' ? ', lead' : ''}`}>
              <span className={styles.name}>
                <Text weight="semibold">{p.name}</Text>
                <Caption1>{p.role === 'lead' ? 'Lead' : 'Member'}</Caption1>
              </span>
            </Button>
          </li>
        ))}
      </ul>
    </main>
  );
}
