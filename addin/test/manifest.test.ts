import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convert } from 'office-addin-manifest-converter';

// Both manifests are checked offline: `office-addin-manifest validate` calls a web service,
// so the XML is converted to a unified (JSON) manifest with office-addin-manifest-converter
// and validated, like the unified fragment, against the schemas bundled in @microsoft/app-manifest.

const addin = join(__dirname, '..');
const schemaFor = (version: string) => JSON.parse(readFileSync(require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`), 'utf8'));

function validator(version: string) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schemaFor(version));
}

function problems(version: string, manifest: unknown): string[] {
  const validate = validator(version);
  return validate(manifest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

function urlsIn(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string' && /^[a-z]+:\/\//i.test(value)) found.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) urlsIn(v, found);
  return found;
}

type Extension = {
  ribbons: Array<{ contexts: string[]; tabs: Array<{ groups: Array<{ controls: Array<{ label: string; actionId: string; type: string }> }> }> }>;
  runtimes: Array<{ code: { page: string }; actions: Array<{ id: string; type: string }> }>;
};

/** The ribbon buttons shown when reading mail, with the action each one runs. */
function mailReadButtons(extension: Extension) {
  return extension.ribbons
    .filter((r) => r.contexts?.includes('mailRead'))
    .flatMap((r) => r.tabs.flatMap((t) => t.groups.flatMap((g) => g.controls)))
    .map((c) => {
      const runtime = extension.runtimes.find((rt) => rt.actions.some((a) => a.id === c.actionId));
      const action = runtime?.actions.find((a) => a.id === c.actionId);
      return { label: c.label, type: c.type, action: action?.type, page: runtime?.code.page };
    });
}

describe('addin/manifest.xml', () => {
  let converted: any;
  let xml: string;
  beforeAll(async () => {
    xml = readFileSync(join(addin, 'manifest.xml'), 'utf8');
    const out = mkdtempSync(join(tmpdir(), 'noticed-manifest-'));
    try {
      await convert(join(addin, 'manifest.xml'), out, false, undefined, undefined, false);
      converted = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('converts to a unified manifest that the bundled schema accepts', () => {
    expect(converted.manifestVersion).toBe('1.17');
    expect(problems('1.17', converted)).toEqual([]);
  });

  it('is a mail add-in with a "Give credit" button on read messages that opens the task pane', () => {
    expect(xml).toMatch(/xsi:type="MailApp"/);
    expect(xml).toMatch(/<Rule xsi:type="ItemIs" ItemType="Message" FormType="Read"\/>/);
    expect(xml).toMatch(/<ExtensionPoint xsi:type="MessageReadCommandSurface">/);
    expect(mailReadButtons(converted.extensions[0])).toEqual([{ label: 'Give credit', type: 'button', action: 'openPage', page: 'https://localhost:3000/addin/taskpane.html' }]);
  });

  it('asks only to read the item and points every URL at https', () => {
    expect(xml).toMatch(/<Permissions>ReadItem<\/Permissions>/);
    const urls = [...xml.matchAll(/DefaultValue="([a-z]+:\/\/[^"]+)"/gi)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(5);
    expect(urls.filter((u) => !u.startsWith('https://'))).toEqual([]);
  });
});

describe('addin/unified-manifest.json (the add-in part of the Teams app manifest)', () => {
  const fragment = JSON.parse(readFileSync(join(addin, 'unified-manifest.json'), 'utf8'));
  // The smallest app manifest around the fragment, as appPackage/manifest.json will hold it.
  const around = (version: string) => ({
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
    manifestVersion: version,
    version: '1.0.0',
    id: '6b0c8a4e-3f2d-4c71-9e55-1d2a7b9c0e11',
    developer: { name: 'Noticed', websiteUrl: 'https://localhost:3000', privacyUrl: 'https://localhost:3000', termsOfUseUrl: 'https://localhost:3000' },
    name: { short: 'Noticed', full: 'Noticed' },
    description: { short: 'Make behind-the-scenes work visible.', full: 'Make behind-the-scenes work visible.' },
    icons: { outline: 'outline.png', color: 'color.png' },
    accentColor: '#5B5FC7',
    validDomains: ['localhost:3000'],
    ...fragment,
  });

  it.each(['1.17', '1.24'])('validates against the bundled v%s schema inside an app manifest', (version) => {
    expect(problems(version, around(version))).toEqual([]);
  });

  it('has a mailRead "Give credit" button that opens the task pane, over https only', () => {
    expect(Object.keys(fragment)).toEqual(['extensions']);
    expect(mailReadButtons(fragment.extensions[0])).toEqual([{ label: 'Give credit', type: 'button', action: 'openPage', page: 'https://localhost:3000/addin/taskpane.html' }]);
    expect(urlsIn(fragment).filter((u) => !u.startsWith('https://'))).toEqual([]);
  });

  it('fails validation for a misspelled ribbon context (the check can fail)', () => {
    const broken = around('1.17');
    broken.extensions[0].ribbons[0].contexts = ['mailReed'];
    expect(problems('1.17', broken).length).toBeGreaterThan(0);
  });
});
