import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// `npm run playground` hands this file to Microsoft 365 Agents Playground, which refuses to
// start on a file its schema (config 0.1.1) rejects and otherwise plays Teams with these
// people: their ids reach the bot as Teams would send them.
const root = join(__dirname, '..');
const configText = readFileSync(join(root, '.m365agentsplayground.yml'), 'utf8');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

interface Person {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

describe('the Playground team (.m365agentsplayground.yml)', () => {
  // YAML reads JSON as it is; keeping the file JSON lets this test parse it without a YAML library.
  const config = JSON.parse(configText);
  const people: Person[] = [config.currentUser, ...config.users];

  it('is a config file version the Playground reads, with every section it requires', () => {
    expect(config.version).toBe('0.1.1');
    expect(Object.keys(config).sort()).toEqual(['bot', 'currentUser', 'groupChat', 'personalChat', 'team', 'tenantId', 'users', 'version']);
  });

  it('has as many people as the Playground allows: the current user and exactly five more', () => {
    expect(config.users).toHaveLength(5);
    expect(new Set(people.map((p) => p.id)).size).toBe(6);
    expect(new Set(people.map((p) => p.aadObjectId.toLowerCase())).size).toBe(6);
    expect(new Set(people.map((p) => p.email.toLowerCase())).size).toBe(6);
  });

  it.each(people.map((p) => [p.name, p] as const))('%s has a name, an email and Teams-shaped ids', (_name, person) => {
    expect(Object.keys(person).sort()).toEqual(['aadObjectId', 'email', 'givenName', 'id', 'name', 'surname', 'userPrincipleName']);
    expect(person.name).toBe(`${person.givenName} ${person.surname}`);
    expect(person.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
    expect(person.userPrincipleName).toBe(person.email);
    expect(person.aadObjectId).toMatch(GUID);
    expect(person.id).toMatch(/^29:\S+$/);
  });

  it.each([
    ['the tenant', () => config.tenantId],
    ['the team’s Microsoft 365 group', () => config.team.aadGroupId],
    ['the bot (after its 28: prefix)', () => config.bot.id.replace(/^28:/, '')],
  ])('%s has a GUID id', (_what, id) => {
    expect(id()).toMatch(GUID);
  });

  it('has a team with a channel besides General, a group chat and a personal chat, all ids distinct', () => {
    expect(config.bot).toEqual({ id: expect.stringMatching(/^28:/), name: 'Noticed' });
    expect(config.team.id).toMatch(/^19:\S+@thread\.tacv2$/);
    expect(config.team.channels).toEqual([{ id: expect.stringMatching(/^19:\S+@thread\.tacv2$/), name: expect.any(String) }]);
    expect(config.groupChat.id).toMatch(/^19:\S+@thread\.v2$/);
    const ids = [config.personalChat.id, config.groupChat.id, config.team.id, ...config.team.channels.map((c: { id: string }) => c.id)];
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('npm run playground', () => {
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;

  it('builds the server and runs the launcher, next to the Playground it starts', () => {
    expect(scripts.playground).toBe('npm run build:server && node dist/bot/src/dev/playground.js');
    expect(existsSync(join(root, 'bot', 'src', 'dev', 'playground.ts'))).toBe(true);
    expect(existsSync(join(root, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js'))).toBe(true);
  });
});
