import { Button } from '@fluentui/react-button';
import { Dropdown, Option } from '@fluentui/react-combobox';
import { Field } from '@fluentui/react-field';
import { makeStyles } from '@griffel/react';
import { type Kind, KINDS, type RosterMember } from '../../core/browser';
import { DEFAULT_PERIOD, PERIODS } from './feed-filters';
import { useFilterRowStyles } from './filter-row';

const useStyles = makeStyles({
  filter: { minWidth: '180px' },
});

/**
 * The board's filters: period, kind and person. Loaded beside the board rather than with it:
 * the dropdowns are an eighth of the tab's code and the first cards do not need them.
 */
export default function BoardFilters({ period, kind, person, roster, onPeriod, onKind, onPerson }: {
  period: string;
  kind: Kind | '';
  person: string;
  roster: RosterMember[];
  onPeriod(period: string): void;
  onKind(kind: Kind | ''): void;
  onPerson(userId: string): void;
}) {
  const styles = useStyles();
  const row = useFilterRowStyles();
  const personName = roster.find((m) => m.userId === person)?.name;
  const filtered = period !== DEFAULT_PERIOD || kind !== '' || person !== '';
  return (
    <div className={row.filters} role="group" aria-label="Filters">
      <Field label="Period" className={styles.filter}>
        <Dropdown value={PERIODS.find((p) => p.value === period)?.label} selectedOptions={[period]} onOptionSelect={(_e, d) => onPeriod(d.optionValue ?? DEFAULT_PERIOD)}>
          {PERIODS.map((p) => (
            <Option key={p.value} value={p.value}>
              {p.label}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label="Kind of work" className={styles.filter}>
        <Dropdown value={kind ? KINDS.find((k) => k.id === kind)?.label : 'All kinds'} selectedOptions={[kind]} onOptionSelect={(_e, d) => onKind((d.optionValue ?? '') as Kind | '')}>
          <Option value="">All kinds</Option>
          {KINDS.map((k) => (
            <Option key={k.id} value={k.id}>
              {k.label}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label="Person credited" className={styles.filter}>
        <Dropdown value={personName ?? 'Everyone'} selectedOptions={[person]} onOptionSelect={(_e, d) => onPerson(d.optionValue ?? '')}>
          <Option value="">Everyone</Option>
          {roster.map((m) => (
            <Option key={m.userId} value={m.userId}>
              {m.name}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {filtered ? (
        <Button
          appearance="subtle"
          onClick={() => {
            onPeriod(DEFAULT_PERIOD);
            onKind('');
            onPerson('');
          }}
        >
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}
