import { Button } from '@fluentui/react-button';
import { Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-dialog';
import { Field } from '@fluentui/react-field';
import { MessageBar, MessageBarBody } from '@fluentui/react-message-bar';
import { Radio, RadioGroup } from '@fluentui/react-radio';
import { Spinner } from '@fluentui/react-spinner';
import { Switch } from '@fluentui/react-switch';
import { TagPicker, TagPickerControl, TagPickerGroup, TagPickerInput, TagPickerList, TagPickerOption, useTagPickerFilter } from '@fluentui/react-tag-picker';
import { Tag } from '@fluentui/react-tags';
import { Caption1 } from '@fluentui/react-text';
import { Textarea } from '@fluentui/react-textarea';
import { tokens } from '@fluentui/react-theme';
import { makeStyles } from '@griffel/react';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { type BoardApi, type Credit, type Kind, KINDS, type Me, type RosterMember, describeError } from '../../core/browser';
import { suggestKind } from '../../core/kind-suggestion';
import { InitialsAvatar } from './people-avatars';

/** The API's limits, repeated here so the form can say so before sending. */
export const MESSAGE_MAX = 1000;
const RECIPIENTS_MAX = 10;
const NO_MATCH = '__no-match__';

const useStyles = makeStyles({
  surface: { maxWidth: '640px', width: '100%' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  kindLabel: { display: 'flex', flexDirection: 'column' },
  kindHint: { color: tokens.colorNeutralForeground2 },
});

/** Give credit: people from the roster, the message, its kind (suggested as you type) and privacy. */
export default function GiveCreditDialog(props: {
  open: boolean;
  initialRecipients: string[];
  api: BoardApi;
  boardId: string;
  roster: RosterMember[];
  me: Me;
  onClose(): void;
  onGiven(credit: Credit): void;
}) {
  const { open, initialRecipients, api, boardId, roster, me, onClose, onGiven } = props;
  const styles = useStyles();
  const [recipients, setRecipients] = useState<string[]>([]);
  const [query, setQuery] = useState('');
  const [message, setMessage] = useState('');
  const [kind, setKind] = useState<Kind>('enabled');
  const [kindChosen, setKindChosen] = useState(false);
  const [privately, setPrivately] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [touched, setTouched] = useState(false);
  // One key per opening of the dialog: a retried submission returns the same credit.
  const idempotencyKey = useRef('');

  useEffect(() => {
    if (!open) return;
    idempotencyKey.current = crypto.randomUUID();
    setRecipients(initialRecipients.filter((id) => id !== me.user.userId));
    setQuery('');
    setMessage('');
    setKind('enabled');
    setKindChosen(false);
    setPrivately(false);
    setProblem(undefined);
    setTouched(false);
    setBusy(false);
  }, [open, initialRecipients, me.user.userId]);

  // You cannot credit yourself, so you are not offered.
  const people = useMemo(() => roster.filter((m) => m.userId !== me.user.userId), [roster, me.user.userId]);
  const nameOf = (id: string) => people.find((m) => m.userId === id)?.name ?? id;

  const options = useTagPickerFilter({
    query,
    options: people.map((m) => m.userId),
    noOptionsElement: <TagPickerOption value={NO_MATCH} text="">Nobody on this board matches “{query}”</TagPickerOption>,
    renderOption: (id) => (
      <TagPickerOption key={id} value={id} text={nameOf(id)} media={<InitialsAvatar name={nameOf(id)} />}>
        {nameOf(id)}
      </TagPickerOption>
    ),
    filter: (id) => !recipients.includes(id) && nameOf(id).toLowerCase().includes(query.trim().toLowerCase()),
  });

  const onMessage = (text: string) => {
    setMessage(text);
    if (!kindChosen) setKind(suggestKind(text));
  };

  const trimmed = message.trim();
  const recipientsError = touched && !recipients.length ? 'Choose at least one person.' : undefined;
  const messageError = touched && !trimmed ? 'Say what they did.' : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!recipients.length || !trimmed || busy) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const credit = await api.give(
        boardId,
        { recipients: recipients.map((userId) => ({ userId })), message: trimmed, kind, visibility: privately ? 'private' : 'board' },
        idempotencyKey.current,
      );
      onGiven(credit);
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={(_e, data) => (!data.open && !busy ? onClose() : undefined)} modalType="modal">
      <DialogSurface className={styles.surface} aria-describedby={undefined}>
        <form onSubmit={submit} noValidate>
          <DialogBody>
            <DialogTitle>Give credit</DialogTitle>
            <DialogContent className={styles.form}>
              <Field label="Who made a difference?" required validationMessage={recipientsError} hint={`Up to ${RECIPIENTS_MAX} people from this board.`}>
                <TagPicker
                  selectedOptions={recipients}
                  onOptionSelect={(_e, data) => {
                    if (data.value === NO_MATCH) return;
                    setRecipients(data.selectedOptions.slice(0, RECIPIENTS_MAX));
                    setQuery('');
                  }}
                >
                  <TagPickerControl>
                    <TagPickerGroup aria-label="People to credit">
                      {recipients.map((id) => (
                        <Tag key={id} shape="rounded" value={id} media={<InitialsAvatar name={nameOf(id)} size={20} />}>
                          {nameOf(id)}
                        </Tag>
                      ))}
                    </TagPickerGroup>
                    <TagPickerInput aria-label="Search people on this board" placeholder={recipients.length ? undefined : 'Type a name'} value={query} onChange={(e) => setQuery(e.target.value)} />
                  </TagPickerControl>
                  <TagPickerList>{options}</TagPickerList>
                </TagPicker>
              </Field>

              <Field label="What did they do?" required validationMessage={messageError} hint={`${message.length} / ${MESSAGE_MAX} characters`}>
                <Textarea
                  value={message}
                  maxLength={MESSAGE_MAX}
                  rows={4}
                  resize="vertical"
                  placeholder="Caught the expired certificate a week before launch"
                  onChange={(_e, data) => onMessage(data.value)}
                />
              </Field>

              <Field label="Kind of work" hint={kindChosen || !trimmed ? undefined : 'Suggested from your message; change it if it fits better.'}>
                <RadioGroup
                  value={kind}
                  onChange={(_e, data) => {
                    setKind(data.value as Kind);
                    setKindChosen(true);
                  }}
                >
                  {KINDS.map((k) => (
                    <Radio
                      key={k.id}
                      value={k.id}
                      label={
                        <span className={styles.kindLabel}>
                          <span>{k.label}</span>
                          <Caption1 className={styles.kindHint}>{k.description}</Caption1>
                        </span>
                      }
                    />
                  ))}
                </RadioGroup>
              </Field>

              <Switch checked={privately} onChange={(_e, data) => setPrivately(data.checked)} label="Private: only you and the people you credit can see it" />

              {problem ? (
                <MessageBar intent="error" role="alert">
                  <MessageBarBody>{problem}</MessageBarBody>
                </MessageBar>
              ) : null}
            </DialogContent>
            <DialogActions>
              {/* disabledFocusable, not disabled: a disabled button drops focus to the page, where the
                  dialog's focus trap, Esc and Fluent's modal bookkeeping no longer see it, and the next
                  opening of the dialog comes up aria-hidden. */}
              <Button appearance="secondary" onClick={onClose} disabledFocusable={busy}>
                Cancel
              </Button>
              <Button appearance="primary" type="submit" disabledFocusable={busy} icon={busy ? <Spinner size="tiny" /> : undefined}>
                {busy ? 'Giving credit…' : 'Give credit'}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
