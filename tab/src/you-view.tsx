import { Button } from '@fluentui/react-button';
import { Dropdown, Option } from '@fluentui/react-combobox';
import { Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-dialog';
import { Field } from '@fluentui/react-field';
import { Spinner } from '@fluentui/react-spinner';
import { Switch } from '@fluentui/react-switch';
import { Body1, Caption1, Subtitle1 } from '@fluentui/react-text';
import { tokens } from '@fluentui/react-theme';
import { makeStyles } from '@griffel/react';
import { ArrowDownload20Regular, Delete20Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { type BoardApi, type BoardPreferences, describeError } from '../../core/browser';
import { FormStatusBar, useFormRun } from './form-status';
import { Panel } from './panel';
import { WEEKDAYS, changeMyPreferences, eraseMyData, exportMyData, myPreferences } from './settings-api';

const useStyles = makeStyles({
  // min(…, 100%): one column on a phone-width page rather than a 340 px one that scrolls sideways.
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(340px, 100%), 1fr))', gap: tokens.spacingHorizontalL, alignItems: 'start' },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, '& h2': { margin: 0 } },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground2 },
});

type Change = Partial<Omit<BoardPreferences, 'boardId' | 'boardName'>>;

/** Saves the export as a file: the route needs the bearer token, so a plain link could not fetch it. */
function download(data: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'noticed-export.json';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Everyone's own say on this board: private credit, reminders, notifications, opting out, and their data. */
export default function YouView({ api, boardId }: { api: BoardApi; boardId: string }) {
  const styles = useStyles();
  const [prefs, setPrefs] = useState<BoardPreferences>();
  const { status, setStatus, busy, run } = useFormRun();
  const [confirmErase, setConfirmErase] = useState(false);
  const [erased, setErased] = useState(false);

  useEffect(() => {
    let cancelled = false;
    myPreferences(api, boardId).then(
      (p) => !cancelled && setPrefs(p),
      (error) => !cancelled && setStatus({ intent: 'error', text: describeError(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, boardId]);

  const change = (next: Change, said: string) =>
    void run(async () => {
      setPrefs(await changeMyPreferences(api, boardId, next));
      return said;
    });

  const statusBar = <FormStatusBar status={status} />;
  if (erased) return <section aria-label="You">{statusBar}</section>;
  if (!prefs) return <section aria-label="You">{statusBar}{status?.intent === 'error' ? null : <Spinner label="Loading your preferences…" />}</section>;

  const reminders = prefs.reminderDay !== null;
  return (
    <section aria-label="You" data-testid="you">
      {statusBar}
      <div className={styles.grid}>
        <Panel className={styles.card}>
          <Subtitle1 as="h2">How Noticed treats you here</Subtitle1>
          <Switch
            checked={prefs.prefersPrivate}
            disabled={busy}
            onChange={(_e, d) => change({ prefersPrivate: d.checked }, d.checked ? 'New credit to you will be private; its giver is told why.' : 'New credit to you can be seen on the board again.')}
            label="Prefer private credit: new credit to me is seen only by me and its giver"
          />
          <Switch
            checked={prefs.creditNotifications}
            disabled={busy}
            onChange={(_e, d) => change({ creditNotifications: d.checked }, d.checked ? 'You will be told privately when you receive credit.' : 'You will not be told privately when you receive credit.')}
            label="Tell me privately when I receive credit"
          />
          <Switch
            checked={reminders}
            disabled={busy}
            onChange={(_e, d) => change({ reminderDay: d.checked ? 5 : null }, d.checked ? 'You will be reminded to give credit every Friday.' : 'No more reminders.')}
            label="Remind me to give credit once a week"
          />
          {reminders ? (
            <Field label="Reminder day">
              <Dropdown
                disabled={busy}
                value={WEEKDAYS[prefs.reminderDay ?? 5]}
                selectedOptions={[String(prefs.reminderDay)]}
                onOptionSelect={(_e, d) => change({ reminderDay: Number(d.optionValue) }, `You will be reminded every ${WEEKDAYS[Number(d.optionValue)]}.`)}
              >
                {WEEKDAYS.map((day, i) => (
                  <Option key={day} value={String(i)}>
                    {day}
                  </Option>
                ))}
              </Dropdown>
            </Field>
          ) : null}
        </Panel>

        <Panel className={styles.card}>
          <Subtitle1 as="h2">{prefs.optedOut ? 'You have opted out' : 'Opting out'}</Subtitle1>
          <Body1>
            {prefs.optedOut
              ? 'No new credit can be given to you on this board, and leads’ nudges never name you. Only you can opt back in.'
              : 'Opting out means no new credit to you on this board and never being named in leads’ nudges. Credit already given stays. You can opt back in at any time.'}
          </Body1>
          <div className={styles.actions}>
            {prefs.optedOut ? (
              <Button appearance="primary" disabled={busy} onClick={() => change({ optedOut: false }, 'Welcome back: you can be credited on this board again.')}>
                Opt back in
              </Button>
            ) : (
              <Button disabled={busy} onClick={() => change({ optedOut: true }, 'You have opted out of Noticed on this board.')}>
                Opt out of Noticed
              </Button>
            )}
          </div>
        </Panel>

        <Panel className={styles.card}>
          <Subtitle1 as="h2">Your data</Subtitle1>
          <Caption1 className={styles.muted}>Everything Noticed keeps about you in your organization, on every board.</Caption1>
          <div className={styles.actions}>
            <Button
              icon={<ArrowDownload20Regular />}
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  download(await exportMyData(api));
                  return 'Your data was downloaded as noticed-export.json.';
                })
              }
            >
              Export my data
            </Button>
            <Button icon={<Delete20Regular />} disabled={busy} onClick={() => setConfirmErase(true)}>
              Erase my data
            </Button>
          </div>
        </Panel>
      </div>

      <Dialog open={confirmErase} onOpenChange={(_e, d) => setConfirmErase(d.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Erase your data from Noticed?</DialogTitle>
            <DialogContent>
              Credit given to you is removed, credit you gave stays from “a former member”, and you leave every board in your organization. This cannot be undone.
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setConfirmErase(false)}>Keep my data</Button>
              <Button
                appearance="primary"
                onClick={() => {
                  setConfirmErase(false);
                  void run(async () => {
                    await eraseMyData(api);
                    setErased(true);
                    return 'Your data was erased. Noticed keeps nothing about you now.';
                  });
                }}
              >
                Erase everything
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </section>
  );
}
