import { getInitials } from '@fluentui/react-avatar';
import { Badge } from '@fluentui/react-badge';
import { Button } from '@fluentui/react-button';
import { Checkbox } from '@fluentui/react-checkbox';
import { Field } from '@fluentui/react-field';
import { Link } from '@fluentui/react-link';
import { MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-message-bar';
import { Select } from '@fluentui/react-select';
import { Spinner } from '@fluentui/react-spinner';
import { Text } from '@fluentui/react-text';
import { Textarea } from '@fluentui/react-textarea';
import { tokens } from '@fluentui/react-theme';
import { makeStyles } from '@griffel/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, type BoardSummary, type Credit, type Kind, KINDS, type Me, NoticedApi, type RosterMember } from '../../core/browser';
import { type LocalDirectory, type LocalPerson, LocalTokens, SignInError, type TokenProvider, rememberLocalSession } from './auth';
import type { MailboxUser } from './outlook';
import { LAST_BOARD_KEY, type Opening, openPane, rosterFor } from './pane-opening';
import { type Candidate, type MailSnapshot, creditRecipients, defaultMessage, emailEvidence, matchRoster, suggestKindFor, threadParticipants } from './participants';

const MESSAGE_MAX = 1000;

const useStyles = makeStyles({
  pane: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalM, maxWidth: '480px' },
  people: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  // Wraps at phone width: the name, its initials and "on the board" do not fit one 320 px line.
  person: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: tokens.spacingHorizontalS, minWidth: 0 },
  who: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  email: { color: tokens.colorNeutralForeground3, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  muted: { color: tokens.colorNeutralForeground3 },
  fieldset: { border: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightRegular, color: tokens.colorNeutralForeground1 },
});

/** What the pane was opened with; the host module has already read all of it. */
export interface CreditPaneProps {
  mail: MailSnapshot;
  user: MailboxUser | undefined;
  /** Present in local mode: sign in as one of these people instead of Entra. */
  local?: LocalDirectory;
  /** The first requests, started before the pane's code had loaded, for a person already signed in. */
  opening?: Opening;
  /** The Entra token source, used when not in local mode. */
  entra: () => TokenProvider;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

/** What went wrong, said for the user; `signIn` when the API refused even a fresh token. */
type Failure = { message: string; correlationId?: string; signIn?: boolean };

function failureOf(error: unknown): Failure {
  if (error instanceof ApiError) return { message: error.message, correlationId: error.correlationId, signIn: error.status === 401 };
  if (error instanceof SignInError) return { message: error.message };
  return { message: 'Something went wrong. Try again.' };
}

function safeStorage(storage: CreditPaneProps['storage']) {
  return {
    get: (key: string) => {
      try {
        return storage?.getItem(key) ?? undefined;
      } catch {
        return undefined;
      }
    },
    set: (key: string, value: string) => {
      try {
        storage?.setItem(key, value);
      } catch {
        // Storage can be off in some hosts; remembering is a convenience, not a need.
      }
    },
  };
}

/** The board the pane credits on: the guess (last time's) if /me lists it, else local mode's, else the first. */
function boardFor(me: Me, guess: string | undefined, local: LocalDirectory | undefined): string | undefined {
  return (me.boards.find((b) => b.id === guess) ?? me.boards.find((b) => b.id === local?.boardId) ?? me.boards[0])?.id;
}

/** The task pane: who was on the thread, the kind, the message, the board, and the send. */
export function CreditPane({ mail, user, local, opening: early, entra, storage = window.localStorage }: CreditPaneProps) {
  const styles = useStyles();
  const store = useMemo(() => safeStorage(storage), [storage]);
  const participants = useMemo(() => threadParticipants(mail, user?.emailAddress), [mail, user]);
  const suggested = useMemo(() => suggestKindFor(mail), [mail]);
  // One key for everything this pane sends: a double click or a retry after a lost answer returns the first credit.
  const idempotencyKey = useRef(`outlook-${crypto.randomUUID()}`);
  const heading = useRef<HTMLHeadingElement>(null);

  const [source, setSource] = useState<TokenProvider | undefined>(() => early?.source ?? (local ? undefined : entra()));
  // Answers that came before the pane's code ran are its first render: no loading steps in between.
  const came = early?.came;
  // The last board is fetched at once, alongside GET /me, rather than after it.
  const [boardId, setBoardId] = useState<string | undefined>(() => {
    const last = store.get(LAST_BOARD_KEY);
    return came?.me ? boardFor(came.me, last, local) : last;
  });
  // A signed-in pane's first requests (token, GET /me, the last board's roster) start before its
  // first render, not after it: rendering the pane takes longer than they do.
  const [opening] = useState(() => early ?? (source ? openPane(source, boardId, Promise.resolve(participants.map((p) => p.email))) : undefined));
  // The opening's answers not yet handed to the effects below; each is used once.
  const unused = useRef(opening);
  const [roster, setRoster] = useState<{ boardId: string; members: RosterMember[] } | undefined>(() => (came?.roster?.boardId === boardId ? came?.roster : undefined));
  const [rosterFailure, setRosterFailure] = useState<{ boardId: string; failure: Failure }>();
  const [me, setMe] = useState<Me | undefined>(() => came?.me);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [kind, setKind] = useState<Kind>(suggested);
  const [message, setMessage] = useState(() => defaultMessage(mail.subject));
  const [failure, setFailure] = useState<Failure>();
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState<Credit>();
  // Bumped by "Sign in again": a new client, so /me and the roster are asked for again with the new token.
  const [signIns, setSignIns] = useState(0);

  const api = useMemo(
    () => (!source ? undefined : opening?.source === source && !signIns ? opening.api : new NoticedApi((refresh) => source.token(refresh), 'outlook')),
    [source, opening, signIns],
  );

  const signInAgain = async () => {
    if (!source) return;
    setFailure(undefined);
    setRosterFailure(undefined);
    try {
      await source.token(true);
      setSignIns((n) => n + 1);
      // The Sign in again button goes with its bar; focus would otherwise fall to the page.
      requestAnimationFrame(() => heading.current?.focus());
    } catch (error) {
      setFailure(failureOf(error));
    }
  };

  useEffect(() => {
    if (!api) return;
    let live = true;
    const early = unused.current?.api === api ? unused.current.me : undefined;
    if (unused.current) unused.current.me = undefined;
    (early ?? api.me()).then(
      (found) => {
        if (!live) return;
        setMe(found);
        setBoardId((guess) => boardFor(found, guess, local));
      },
      (error) => live && setFailure(failureOf(error)),
    );
    return () => {
      live = false;
    };
  }, [api, local]);

  useEffect(() => {
    if (!api || !boardId) return;
    let live = true;
    const early = unused.current?.api === api && unused.current.roster?.boardId === boardId ? unused.current.roster.members : undefined;
    if (unused.current) unused.current.roster = undefined;
    (early ?? rosterFor(api, boardId, Promise.resolve(participants.map((p) => p.email)))).then(
      // The same answer the first render showed changes nothing (no render for it).
      (members) => live && setRoster((was) => (was?.boardId === boardId && was.members === members ? was : { boardId, members })),
      (error) => live && setRosterFailure({ boardId, failure: failureOf(error) }),
    );
    return () => {
      live = false;
    };
  }, [api, boardId, participants]);

  // Remembered once /me confirms it, so the next opening fetches this board's roster beside /me.
  useEffect(() => {
    if (me && boardId) store.set(LAST_BOARD_KEY, boardId);
  }, [me, boardId, store]);

  // Before GET /me answers, the board is a guess from last time; its refusal counts only once /me confirms the board.
  useEffect(() => {
    if (me && rosterFailure && rosterFailure.boardId === boardId) setFailure(rosterFailure.failure);
  }, [me, rosterFailure, boardId]);

  const candidates = useMemo<Candidate[] | undefined>(() => {
    if (!me) return undefined;
    if (!boardId) return [];
    return roster?.boardId === boardId ? matchRoster(participants, roster.members, me.user.userId) : undefined;
  }, [me, boardId, roster, participants]);

  useEffect(() => {
    if (candidates) setChosen((was) => (was.size ? new Set([...was].filter((k) => candidates.some((c) => c.key === k))) : was));
  }, [candidates]);

  const ready = Boolean(candidates && me && boardId);
  useEffect(() => {
    if (ready && !document.body.dataset.ready) {
      document.body.dataset.ready = 'true';
      performance.mark('noticed-ready-to-credit');
    }
  }, [ready]);

  if (local && !source) {
    return (
      <LocalSignIn
        directory={local}
        user={user}
        onSignIn={(person) => {
          rememberLocalSession(storage, { tenantId: local.tenantId, boardId: local.boardId, person });
          setSource(new LocalTokens(local.tenantId, person));
        }}
      />
    );
  }

  // A new credit from the same thread: a fresh key, so it is not taken for a retry of the first.
  const creditSomeoneElse = () => {
    idempotencyKey.current = `outlook-${crypto.randomUUID()}`;
    setChosen(new Set());
    setKind(suggested);
    setMessage(defaultMessage(mail.subject));
    setFailure(undefined);
    setDone(undefined);
    requestAnimationFrame(() => heading.current?.focus());
  };

  if (done) {
    const names = done.recipients.map((r) => r.name ?? r.email).join(', ');
    return (
      <main className={styles.pane} data-state="done">
        <MessageBar intent="success">
          <MessageBarBody>
            <MessageBarTitle>Credit given</MessageBarTitle>
            {names} — {KINDS.find((k) => k.id === done.kind)?.label ?? done.kind}.
          </MessageBarBody>
        </MessageBar>
        <Link href={`/tab/?board=${encodeURIComponent(done.boardId)}`} target="_blank" rel="noopener">
          See it on the board
        </Link>
        <div className={styles.actions}>
          <Button onClick={creditSomeoneElse}>Credit someone else</Button>
        </div>
      </main>
    );
  }

  const submit = async () => {
    if (!api || !boardId || !candidates || sending) return;
    const picked = candidates.filter((c) => chosen.has(c.key));
    setSending(true);
    setFailure(undefined);
    try {
      const credit = await api.give(boardId, { recipients: creditRecipients(picked), message: message.trim(), kind, evidence: emailEvidence(mail) }, idempotencyKey.current);
      store.set(LAST_BOARD_KEY, boardId);
      setDone(credit);
    } catch (error) {
      setFailure(failureOf(error));
    } finally {
      setSending(false);
    }
  };

  const boards: BoardSummary[] = me?.boards ?? [];
  // Said for what is true: no board to match against, or a thread with nobody else on it.
  const nobodyToSuggest = !boardId ? 'There is no board to suggest people from.' : 'There is nobody else on this message to credit.';
  const canSend = ready && chosen.size > 0 && message.trim().length > 0 && message.length <= MESSAGE_MAX && !sending;

  return (
    <main className={styles.pane} data-state={ready ? 'ready' : 'loading'} aria-busy={!ready}>
      <Text as="h1" size={500} weight="semibold" ref={heading} tabIndex={-1}>
        Give credit
      </Text>
      {failure && <FailureBar failure={failure} onSignInAgain={signInAgain} />}
      {me && boards.length === 0 && (
        <MessageBar intent="warning">
          <MessageBarBody>You are not on any Noticed board yet. Ask a lead to add Noticed to your team.</MessageBarBody>
        </MessageBar>
      )}
      {boards.length > 0 && (
        <Field label="Board">
          <Select
            value={boardId ?? ''}
            onChange={(_, data) => {
              setBoardId(data.value);
              store.set(LAST_BOARD_KEY, data.value);
            }}
          >
            {boards.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </Select>
        </Field>
      )}
      {/* A fieldset, not a Field: a Field gives its one id to every checkbox inside it. */}
      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>Who on this thread made it possible?</legend>
        {!candidates && !failure && <Spinner size="tiny" label="Matching people to the board…" />}
        {candidates && candidates.length === 0 && <Text className={styles.muted}>{nobodyToSuggest}</Text>}
        {!candidates && me && rosterFailure?.boardId === boardId && <Text className={styles.muted}>The board's people could not be loaded, so nobody can be suggested.</Text>}
        {candidates && candidates.length > 0 && (
          <div className={styles.people}>
            {candidates.map((c) => (
              <div className={styles.person} key={c.key}>
                <Checkbox
                  checked={chosen.has(c.key)}
                  label={
                    // Initials from the name, no photo fetched; hidden from screen readers, as the name is the label.
                    // A circular Badge, not Fluent's Avatar: the pane already carries Badge, and Avatar would cost 10 KB of its 150.
                    <span className={styles.who}>
                      <Badge shape="circular" appearance="tint" color="informative" size="large" aria-hidden data-testid="avatar">
                        {getInitials(c.name, false)}
                      </Badge>
                      {c.name}
                    </span>
                  }
                  onChange={(_, data) =>
                    setChosen((was) => {
                      const next = new Set(was);
                      if (data.checked) next.add(c.key);
                      else next.delete(c.key);
                      return next;
                    })
                  }
                />
                {c.member ? (
                  <Badge appearance="tint" color="brand" size="small">
                    on the board
                  </Badge>
                ) : (
                  <Text size={200} className={styles.email} title={c.email}>
                    {c.email}
                  </Text>
                )}
              </div>
            ))}
          </div>
        )}
      </fieldset>
      <Field
        label="Kind of work"
        hint={kind !== suggested ? undefined : mail.bodyError ? 'The message body could not be read, so the kind is suggested from the subject.' : 'Suggested from the email.'}
      >
        <Select value={kind} onChange={(_, data) => setKind(data.value as Kind)}>
          {KINDS.map((k) => (
            <option key={k.id} value={k.id}>
              {k.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        label="What did they do?"
        validationState={message.length > MESSAGE_MAX ? 'error' : 'none'}
        validationMessage={message.length > MESSAGE_MAX ? `Keep it under ${MESSAGE_MAX} characters.` : undefined}
      >
        <Textarea value={message} onChange={(_, data) => setMessage(data.value)} resize="vertical" rows={4} />
      </Field>
      <div className={styles.actions}>
        <Button appearance="primary" disabled={!canSend} onClick={submit}>
          {sending ? 'Giving credit…' : 'Give credit'}
        </Button>
        {sending && <Spinner size="tiny" />}
      </div>
    </main>
  );
}

function FailureBar({ failure, onSignInAgain }: { failure: Failure; onSignInAgain(): void }) {
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>Nothing was sent</MessageBarTitle>
        {failure.message}
        {failure.correlationId && <div>Reference: {failure.correlationId}</div>}
      </MessageBarBody>
      {failure.signIn ? (
        <MessageBarActions>
          <Button onClick={onSignInAgain}>Sign in again</Button>
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}

/** Local mode: choose who you are; the person whose name matches the mailbox user comes first. */
function LocalSignIn({ directory, user, onSignIn }: { directory: LocalDirectory; user: MailboxUser | undefined; onSignIn: (p: LocalPerson) => void }) {
  const styles = useStyles();
  const match = directory.people.find((p) => p.name.toLowerCase() === user?.displayName.trim().toLowerCase());
  const [userId, setUserId] = useState(match?.userId ?? directory.people[0]?.userId ?? '');
  const person = directory.people.find((p) => p.userId === userId);
  return (
    <main className={styles.pane} data-state="sign-in">
      <Text as="h1" size={500} weight="semibold">
        Sign in to Noticed
      </Text>
      <Text className={styles.muted}>Local mode: choose who you are on the demo board.</Text>
      <Field label="Signed in as">
        <Select value={userId} onChange={(_, data) => setUserId(data.value)}>
          {directory.people.map((p) => (
            <option key={p.userId} value={p.userId}>
              {p.name}
              {p.role === 'lead' ? ' (lead)' : ''}
            </option>
          ))}
        </Select>
      </Field>
      <div className={styles.actions}>
        <Button appearance="primary" disabled={!person} onClick={() => person && onSignIn(person)}>
          Sign in
        </Button>
      </div>
    </main>
  );
}
