import { Button } from '@fluentui/react-button';
import { Dropdown, Option } from '@fluentui/react-combobox';
import { Field } from '@fluentui/react-field';
import { Spinner } from '@fluentui/react-spinner';
import { Switch } from '@fluentui/react-switch';
import { Body1, Caption1, Subtitle1, Text } from '@fluentui/react-text';
import { tokens } from '@fluentui/react-theme';
import { makeStyles } from '@griffel/react';
import { PersonAdd20Regular, PersonDelete20Regular, Save20Regular } from '@fluentui/react-icons';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { type BoardApi, type BoardSettings, type LeadEntry, type RosterMember, describeError } from '../../core/browser';
import { plural } from './format';
import { FormStatusBar, useFormRun } from './form-status';
import { Panel } from './panel';
import { WEEKDAYS, boardLeads, boardSettings, changeBoardSettings, grantLead, removeLead } from './settings-api';

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;
const NUDGE_WINDOWS = [7, 14, 21, 30, 45, 60, 90, 180, 365];

/** The nudge windows offered: the usual ones, and the board's own if the API set another. */
function nudgeChoices(current: number): number[] {
  return NUDGE_WINDOWS.includes(current) ? NUDGE_WINDOWS : [...NUDGE_WINDOWS, current].sort((a, b) => a - b);
}

const useStyles = makeStyles({
  // min(…, 100%): one column on a phone-width page rather than a 340 px one that scrolls sideways.
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(340px, 100%), 1fr))', gap: tokens.spacingHorizontalL, alignItems: 'start' },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, '& h2': { margin: 0 } },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  grant: { display: 'flex', alignItems: 'end', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground2 },
});

/** Every IANA time zone the browser knows, UTC first: the picker offers only names the server accepts. */
function timeZones(): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...known.filter((z) => z !== 'UTC')];
}

/** A board's settings for its leads: the digest, the nudge window, the time zone and the lead list. */
export default function SettingsView({ api, boardId, roster, myUserId, onSteppedDown }: { api: BoardApi; boardId: string; roster: RosterMember[]; myUserId: string; onSteppedDown(): void }) {
  const styles = useStyles();
  const [saved, setSaved] = useState<BoardSettings>();
  const [draft, setDraft] = useState<BoardSettings>();
  const [leads, setLeads] = useState<LeadEntry[]>([]);
  const [grantTo, setGrantTo] = useState<string>();
  const { status, setStatus, busy, run } = useFormRun();
  const zones = useMemo(timeZones, []);

  useEffect(() => {
    let cancelled = false;
    Promise.all([boardSettings(api, boardId), boardLeads(api, boardId)]).then(
      ([settings, list]) => {
        if (cancelled) return;
        setSaved(settings);
        setDraft(settings);
        setLeads(list);
      },
      (error) => !cancelled && setStatus({ intent: 'error', text: describeError(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, boardId]);

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!draft || !saved) return;
    const change = Object.fromEntries(Object.entries(draft).filter(([key, value]) => saved[key as keyof BoardSettings] !== value)) as Partial<BoardSettings>;
    if (!Object.keys(change).length) {
      setStatus({ intent: 'success', text: 'Nothing to save: the settings are as shown.' });
      return;
    }
    void run(async () => {
      const next = await changeBoardSettings(api, boardId, change);
      setSaved(next);
      setDraft(next);
      return 'Settings saved.';
    });
  };

  const grant = () => {
    const member = roster.find((m) => m.userId === grantTo);
    if (!member) return;
    void run(async () => {
      setLeads(await grantLead(api, boardId, member.userId));
      setGrantTo(undefined);
      return `${member.name} now leads this board.`;
    });
  };

  const remove = (lead: LeadEntry) =>
    void run(async () => {
      setLeads(await removeLead(api, boardId, lead.userId));
      // Stepping down ends what this view is for: the board shows the caller as a member from now on.
      if (lead.userId === myUserId) onSteppedDown();
      return `${lead.name} no longer leads this board.`;
    });

  const set = <K extends keyof BoardSettings>(key: K, value: BoardSettings[K]) => setDraft((d) => (d ? { ...d, [key]: value } : d));
  const leadIds = new Set(leads.map((l) => l.userId));
  const candidates = roster.filter((m) => !leadIds.has(m.userId));

  return (
    <section aria-label="Settings" data-testid="settings">
      <FormStatusBar status={status} />
      {!draft ? (
        status?.intent === 'error' ? null : <Spinner label="Loading settings…" />
      ) : (
        <div className={styles.grid}>
          <Panel className={styles.card}>
            <Subtitle1 as="h2">Weekly digest and nudges</Subtitle1>
            <form className={styles.card} onSubmit={save} aria-label="Board settings">
              <Switch checked={draft.digestEnabled} onChange={(_e, d) => set('digestEnabled', d.checked)} label="Post the weekly digest to the team" />
              <Field label="Digest day">
                <Dropdown value={WEEKDAYS[draft.digestDay]} selectedOptions={[String(draft.digestDay)]} onOptionSelect={(_e, d) => set('digestDay', Number(d.optionValue))}>
                  {WEEKDAYS.map((day, i) => (
                    <Option key={day} value={String(i)}>
                      {day}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
              <Field label="Digest time (local)">
                <Dropdown value={hourLabel(draft.digestHour)} selectedOptions={[String(draft.digestHour)]} onOptionSelect={(_e, d) => set('digestHour', Number(d.optionValue))}>
                  {HOURS.map((h) => (
                    <Option key={h} value={String(h)}>
                      {hourLabel(h)}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
              <Field label="Time zone" hint="The digest's day and time, and the weeks of insights, are in this zone.">
                <Dropdown value={draft.timeZone} selectedOptions={[draft.timeZone]} onOptionSelect={(_e, d) => d.optionValue && set('timeZone', d.optionValue)}>
                  {zones.map((z) => (
                    <Option key={z} value={z}>
                      {z}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
              <Field label="Weeks start on">
                <Dropdown value={WEEKDAYS[draft.weekStartsOn]} selectedOptions={[String(draft.weekStartsOn)]} onOptionSelect={(_e, d) => set('weekStartsOn', Number(d.optionValue))}>
                  {WEEKDAYS.map((day, i) => (
                    <Option key={day} value={String(i)}>
                      {day}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
              <Field label="Nudge window" hint="Leads are nudged, privately, about people not credited for this long.">
                <Dropdown value={plural(draft.nudgeAfterDays, 'day')} selectedOptions={[String(draft.nudgeAfterDays)]} onOptionSelect={(_e, d) => set('nudgeAfterDays', Number(d.optionValue))}>
                  {nudgeChoices(draft.nudgeAfterDays).map((days) => (
                    <Option key={days} value={String(days)}>
                      {plural(days, 'day')}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
              <div>
                <Button type="submit" appearance="primary" icon={<Save20Regular />} disabled={busy}>
                  Save settings
                </Button>
              </div>
            </form>
          </Panel>

          <Panel className={styles.card}>
            <Subtitle1 as="h2">Leads</Subtitle1>
            <Caption1 className={styles.muted}>Leads see insights and who has gone unnoticed, and change these settings. A board always keeps at least one lead.</Caption1>
            <ul className={styles.list} aria-label="Leads" data-testid="leads">
              {leads.map((lead) => (
                <li key={lead.userId} className={styles.row}>
                  <Text weight="semibold">{lead.name}</Text>
                  <Button size="small" icon={<PersonDelete20Regular />} disabled={busy || leads.length < 2} onClick={() => remove(lead)} aria-label={lead.userId === myUserId ? 'Step down as lead' : `Remove ${lead.name} as lead`}>
                    {lead.userId === myUserId ? 'Step down' : 'Remove'}
                  </Button>
                </li>
              ))}
            </ul>
            {candidates.length ? (
              <div className={styles.grant}>
                <Field label="Make a lead">
                  <Dropdown
                    placeholder="Choose someone on the board"
                    value={roster.find((m) => m.userId === grantTo)?.name ?? ''}
                    selectedOptions={grantTo ? [grantTo] : []}
                    onOptionSelect={(_e, d) => setGrantTo(d.optionValue)}
                  >
                    {candidates.map((m) => (
                      <Option key={m.userId} value={m.userId}>
                        {m.name}
                      </Option>
                    ))}
                  </Dropdown>
                </Field>
                <Button icon={<PersonAdd20Regular />} disabled={busy || !grantTo} onClick={grant}>
                  Grant lead
                </Button>
              </div>
            ) : (
              <Body1>Everyone on the board leads it.</Body1>
            )}
          </Panel>
        </div>
      )}
    </section>
  );
}
