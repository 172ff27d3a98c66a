import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import {
  type AppManifest,
  buildAppPackage,
  commandProblems,
  fillPlaceholders,
  iconProblems,
  parseEnvFile,
  placeholdersIn,
  schemaProblems,
  wiringProblems,
} from '../appPackage/src/app-package';
import { decodePng, readPngHeader } from '../appPackage/src/png';
import { readZip } from '../appPackage/src/zip';
import { BOT_COMMANDS, parseCommand } from '../core';

const root = join(__dirname, '..');
const appPackage = join(root, 'appPackage');
const template = readFileSync(join(appPackage, 'manifest.json'), 'utf8');
const icons = { color: readFileSync(join(appPackage, 'color.png')), outline: readFileSync(join(appPackage, 'outline.png')) };

const SAMPLE = {
  TEAMS_APP_ID: '6b0c8a4e-3f2d-4c71-9e55-1d2a7b9c0e11',
  BOT_ID: '2f4e6a8c-1b3d-4f5a-8c7e-9d0b1a2c3e4f',
  AAD_APP_CLIENT_ID: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  BOT_DOMAIN: 'noticed-test.azurewebsites.net',
  APP_NAME_SUFFIX: '',
};

function filled(values: Record<string, string> = SAMPLE): AppManifest {
  const { text, missing } = fillPlaceholders(template, values);
  expect(missing).toEqual([]);
  return JSON.parse(text);
}

describe('appPackage/manifest.json', () => {
  it('uses exactly the placeholders the env files and provisioning provide', () => {
    expect(placeholdersIn(template).sort()).toEqual(Object.keys(SAMPLE).sort());
  });

  it('validates against the schema @microsoft/app-manifest bundles, once filled', () => {
    const manifest = filled();
    expect(manifest.manifestVersion).toBe('1.30');
    expect(schemaProblems(manifest)).toEqual([]);
    expect(wiringProblems(manifest)).toEqual([]);
  });

  it('fails validation when the manifest is wrong (the check can fail)', () => {
    const manifest = filled() as any;
    manifest.bots[0].scopes = ['personal', 'channel'];
    delete manifest.accentColor;
    expect(schemaProblems(manifest).join('\n')).toMatch(/accentColor/);
    expect(schemaProblems(manifest).join('\n')).toMatch(/\/bots\/0\/scopes\/1/);
    expect(schemaProblems({ ...manifest, manifestVersion: '9.9' })).toEqual(['@microsoft/app-manifest bundles no schema for manifest version 9.9']);
  });

  it('reports every placeholder it cannot fill, and escapes values into JSON', () => {
    expect(fillPlaceholders(template, { ...SAMPLE, BOT_ID: '', BOT_DOMAIN: undefined as unknown as string }).missing.sort()).toEqual(['BOT_DOMAIN', 'BOT_ID']);
    const { text } = fillPlaceholders('{"name": "Noticed${{APP_NAME_SUFFIX}}"}', { APP_NAME_SUFFIX: ' "dev"' });
    expect(JSON.parse(text)).toEqual({ name: 'Noticed "dev"' });
  });

  it('has a bot in personal, team and group chat scopes whose command lists agree with BOT_COMMANDS', () => {
    const manifest = filled();
    expect(manifest.bots?.[0].botId).toBe(SAMPLE.BOT_ID);
    expect(manifest.bots?.[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(commandProblems(manifest)).toEqual([]);
    const titles = (scope: string) => manifest.bots?.[0].commandLists?.filter((l) => l.scopes.includes(scope)).flatMap((l) => l.commands.map((c) => c.title));
    expect(titles('personal')).toEqual(['mine', 'missed', 'settings', 'preferences', 'help']);
    expect(titles('team')).toEqual(['credit', 'board', 'digest', 'mine', 'missed', 'settings', 'preferences', 'help']);
    expect(titles('groupChat')).toEqual(['credit', 'board', 'digest', 'mine', 'missed', 'settings', 'preferences', 'help']);
  });

  it('flags a command the bot does not implement and one the manifest forgot', () => {
    const manifest = filled();
    const team = manifest.bots![0].commandLists!.find((l) => l.scopes.includes('team'))!;
    team.commands = team.commands.filter((c) => c.title !== 'board').concat({ title: 'reset', description: 'Start over.' });
    expect(commandProblems(manifest)).toEqual([
      'team: the bot implements "board" but the manifest does not list it',
      'team: the manifest lists "reset", which the bot does not implement in team scope',
    ]);
  });

  it('has the message extension action giveCredit on messages, run by the same bot', () => {
    const manifest = filled() as any;
    expect(manifest.composeExtensions).toHaveLength(1);
    expect(manifest.composeExtensions[0].botId).toBe(SAMPLE.BOT_ID);
    expect(manifest.composeExtensions[0].commands).toEqual([
      expect.objectContaining({ id: 'giveCredit', type: 'action', title: 'Give credit', context: ['message'], fetchTask: true }),
    ]);
    manifest.composeExtensions[0].commands[0].id = 'give-credit';
    expect(wiringProblems(manifest)).toContain('no message extension command "giveCredit" (the bot answers only that id)');
  });

  it('asks Teams SSO for api://${{BOT_DOMAIN}}/${{AAD_APP_CLIENT_ID}}, on a valid domain', () => {
    expect(JSON.parse(template).webApplicationInfo).toEqual({ id: '${{AAD_APP_CLIENT_ID}}', resource: 'api://${{BOT_DOMAIN}}/${{AAD_APP_CLIENT_ID}}' });
    const manifest = filled();
    expect(manifest.webApplicationInfo).toEqual({ id: SAMPLE.AAD_APP_CLIENT_ID, resource: `api://${SAMPLE.BOT_DOMAIN}/${SAMPLE.AAD_APP_CLIENT_ID}` });
    expect(manifest.validDomains).toContain(SAMPLE.BOT_DOMAIN);
    expect(wiringProblems({ ...manifest, validDomains: ['login.microsoftonline.com'] })).toEqual(
      expect.arrayContaining([`validDomains lacks ${SAMPLE.BOT_DOMAIN}, which the app loads pages from`, `webApplicationInfo.resource's domain ${SAMPLE.BOT_DOMAIN} is not in validDomains`]),
    );
  });

  it('has the board as a configurable team tab and a personal tab, served by the server at /tab/', () => {
    const manifest = filled() as any;
    expect(manifest.configurableTabs).toEqual([expect.objectContaining({ configurationUrl: `https://${SAMPLE.BOT_DOMAIN}/tab/?config=1`, scopes: ['team', 'groupChat'] })]);
    expect(manifest.staticTabs[0]).toEqual(expect.objectContaining({ contentUrl: `https://${SAMPLE.BOT_DOMAIN}/tab/`, scopes: ['personal'] }));
  });

  it('offers the board in meetings: the meeting chat and details tabs, the side panel and the stage, with the permission to share to the stage', () => {
    const manifest = filled() as any;
    const [board] = manifest.configurableTabs;
    expect(board.scopes).toEqual(['team', 'groupChat']);
    expect(board.context).toEqual(['channelTab', 'privateChatTab', 'meetingChatTab', 'meetingDetailsTab', 'meetingSidePanel', 'meetingStage']);
    // Without this resource-specific consent, meeting.shareAppContentToStage answers error 1000 (no permission).
    expect(manifest.authorization.permissions.resourceSpecific).toEqual([
      { name: 'MailboxItem.Read.User', type: 'Delegated' },
      { name: 'MeetingStage.Write.Chat', type: 'Delegated' },
    ]);
    expect(schemaProblems(manifest)).toEqual([]);
    // The schema check knows the contexts: a made-up one fails it.
    expect(schemaProblems({ ...manifest, configurableTabs: [{ ...board, context: [...board.context, 'meetingBackstage'] }] }).join('\n')).toMatch(/configurableTabs\/0\/context/);
  });

  it('carries the Outlook add-in fragment unchanged but for the host it is served from', () => {
    const fragment = readFileSync(join(root, 'addin', 'unified-manifest.json'), 'utf8');
    const expected = JSON.parse(fragment.replaceAll('https://localhost:3000', `https://${SAMPLE.BOT_DOMAIN}`));
    expect(filled().extensions).toEqual(expected.extensions);
    // ReadItem in the XML manifest is this permission in the unified one.
    expect((filled() as any).authorization.permissions.resourceSpecific).toContainEqual({ name: 'MailboxItem.Read.User', type: 'Delegated' });
  });
});

describe('the bot commands', () => {
  const mention = { userId: 'user-ana', name: 'Ana', text: '<at>Ana</at>' };
  const said = (word: string) => (word === 'credit' || BOT_COMMANDS[0].aliases.includes(word) ? `${word} <at>Ana</at> for the release notes` : word);

  it.each(BOT_COMMANDS.flatMap((c) => [c.title, ...c.aliases].map((word) => [word, c.type] as const)))('"%s" is recognised as %s', (word, type) => {
    expect(parseCommand(`<at>Noticed</at> ${said(word)}`, [{ userId: 'bot', name: 'Noticed', text: '<at>Noticed</at>' }, mention], 'bot').type).toBe(type);
  });

  it('lists every command type the grammar knows', () => {
    expect(BOT_COMMANDS.map((c) => c.type).sort()).toEqual(['board', 'credit', 'digest', 'help', 'mine', 'missed', 'preferences', 'settings']);
    expect(parseCommand('reset', [], 'bot').type).toBe('unknown');
  });

  it('fit the Teams command menu', () => {
    for (const c of BOT_COMMANDS) {
      expect(c.title).toMatch(/^[a-z]+$/);
      expect(c.description.length).toBeLessThanOrEqual(128);
      expect(c.scopes.length).toBeGreaterThan(0);
    }
  });
});

describe('the icons', () => {
  it('are 192×192 (colour) and 32×32 (outline) PNGs', () => {
    expect(readPngHeader(icons.color)).toMatchObject({ width: 192, height: 192 });
    expect(readPngHeader(icons.outline)).toMatchObject({ width: 32, height: 32 });
    expect(iconProblems(icons)).toEqual([]);
  });

  it('outline is white on a transparent background', () => {
    const { pixels } = decodePng(icons.outline);
    const alphas = Array.from({ length: pixels.length / 4 }, (_, i) => pixels[i * 4 + 3]);
    expect(alphas[0]).toBe(0); // a corner
    expect(alphas.filter((a) => a === 0).length).toBeGreaterThan(300);
    expect(alphas.filter((a) => a === 255).length).toBeGreaterThan(150);
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3]) expect([pixels[i], pixels[i + 1], pixels[i + 2]]).toEqual([255, 255, 255]);
  });

  it('colour icon is opaque, and would be refused as the outline', () => {
    const { pixels } = decodePng(icons.color);
    expect(pixels.every((v, i) => i % 4 !== 3 || v === 255)).toBe(true);
    expect(iconProblems({ color: icons.outline, outline: icons.color })).toEqual([
      'color icon is 32×32; Teams needs 192×192',
      'outline icon is 192×192; Teams needs 32×32',
      expect.stringMatching(/^outline icon has \d+ pixels that are neither white nor fully transparent$/),
      'outline icon has no transparent background',
    ]);
  });

  it('the PNG reader undoes every filter type', () => {
    // A 3×2 RGB image with rows filtered Paeth then Average, checked against its known pixels.
    const rows = [
      [4, 10, 20, 30, 11, 21, 31, 12, 22, 32],
      [3, 5, 5, 5, 6, 6, 6, 7, 7, 7],
    ];
    const header = Buffer.alloc(13);
    header.writeUInt32BE(3, 0);
    header.writeUInt32BE(2, 4);
    header.set([8, 2, 0, 0, 0], 8);
    const chunk = (type: string, data: Buffer) => {
      const out = Buffer.alloc(data.length + 12);
      out.writeUInt32BE(data.length, 0);
      out.write(type, 4, 'latin1');
      data.copy(out, 8);
      return out; // the reader does not check CRCs
    };
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(Buffer.from(rows.flat()))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    const { pixels } = decodePng(png);
    // Paeth on the first row predicts from the left only: 10, 10+11=21, 21+12=33 …
    expect(Array.from(pixels.subarray(0, 12))).toEqual([10, 20, 30, 255, 21, 41, 61, 255, 33, 63, 93, 255]);
    // Average: floor((left + up) / 2) + raw, with nothing to the left of the first pixel
    expect(Array.from(pixels.subarray(12, 16))).toEqual([(0 + 10) / 2 + 5, (0 + 20) / 2 + 5, (0 + 30) / 2 + 5, 255]);
  });
});

describe('npm run package', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'noticed-package-'));
    mkdirSync(join(dir, 'appPackage'));
    mkdirSync(join(dir, 'env'));
    for (const f of ['manifest.json', 'color.png', 'outline.png']) copyFileSync(join(appPackage, f), join(dir, 'appPackage', f));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fills the manifest from env/.env.<env>, overridden by the environment, and writes a zip that holds it and the icons', () => {
    const { BOT_ID, ...rest } = SAMPLE;
    writeFileSync(join(dir, 'env', '.env.test'), Object.entries(rest).map(([k, v]) => `${k}=${v}`).join('\n') + '\nBOT_ID=00000000-0000-0000-0000-000000000000\n');
    const result = buildAppPackage({ root: dir, env: 'test', processEnv: { BOT_ID } });
    expect(result.problems).toEqual([]);
    expect(result.envFiles).toEqual([join('env', '.env.test')]);
    expect(result.zipPath).toBe(join(dir, 'appPackage', 'build', 'appPackage.test.zip'));
    const entries = readZip(readFileSync(result.zipPath!));
    expect(entries.map((e) => e.name)).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const manifest = JSON.parse(entries[0].data.toString('utf8'));
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.id).toBe(SAMPLE.TEAMS_APP_ID);
    expect(entries[1].data.equals(icons.color)).toBe(true);
    expect(entries[2].data.equals(icons.outline)).toBe(true);
  });

  it('writes nothing and names what is missing when the env lacks values', () => {
    writeFileSync(join(dir, 'env', '.env.dev'), 'TEAMS_APP_ID=\nBOT_DOMAIN=noticed.example.com\n');
    const result = buildAppPackage({ root: dir, env: 'dev' });
    expect(result.problems).toEqual(['no value for TEAMS_APP_ID, APP_NAME_SUFFIX, BOT_ID, AAD_APP_CLIENT_ID (set them in env/.env.dev or the environment)']);
    expect(result.zipPath).toBeUndefined();
    expect(existsSync(join(dir, 'appPackage', 'build'))).toBe(false);
  });

  it('refuses a package whose commands drift from the bot, and warns about sample ids', () => {
    writeFileSync(join(dir, 'env', '.env.local'), readFileSync(join(root, 'env', '.env.local')));
    writeFileSync(join(dir, 'appPackage', 'manifest.json'), template.replace('"title": "missed"', '"title": "overlooked"'));
    const result = buildAppPackage({ root: dir, env: 'local' });
    expect(result.problems).toContain('personal: the bot implements "missed" but the manifest does not list it');
    expect(result.warnings).toEqual(['the bot id is the all-zero sample; set a real one before sideloading', 'the Entra client id is the all-zero sample; set a real one before sideloading']);
    expect(result.zipPath).toBeUndefined();
  });

  it('the committed env files package cleanly where they are complete, and hold no secrets', () => {
    const local = buildAppPackage({ root: dir, env: 'none' });
    expect(local.problems[0]).toBe('no env/.env.none: the values for this environment come from there');
    for (const env of ['local', 'dev']) {
      const values = parseEnvFile(readFileSync(join(root, 'env', `.env.${env}`), 'utf8'));
      expect(values.TEAMSFX_ENV).toBe(env);
      expect(Object.keys(values).filter((k) => /SECRET|PASSWORD|KEY$|CONNECTION_STRING/.test(k))).toEqual([]);
    }
  });
});
