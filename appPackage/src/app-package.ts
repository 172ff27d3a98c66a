import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { BOT_COMMANDS, type BotCommand, type BotScope } from '../../core';
import { decodePng, readPngHeader } from './png';
import { readZip, writeZip } from './zip';

/** The sizes Teams requires of the two app icons. */
export const ICON_SIZES = { color: 192, outline: 32 } as const;
/** The message extension's action command, as the bot's invoke handlers expect it. */
export const MESSAGE_EXTENSION_COMMAND_ID = 'giveCredit';
const SCOPES: readonly BotScope[] = ['personal', 'team', 'groupChat'];
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const NIL_GUID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;
/** Placeholders that may be empty: an environment without a name suffix is production. */
const OPTIONAL = new Set(['APP_NAME_SUFFIX']);

/** The parts of a Teams app manifest the checks read; the schema checks the rest. */
export interface AppManifest {
  manifestVersion: string;
  id: string;
  icons: { color: string; outline: string };
  bots?: Array<{ botId: string; scopes: string[]; commandLists?: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }> }>;
  composeExtensions?: Array<{ botId?: string; commands: Array<{ id: string; type?: string; context?: string[]; fetchTask?: boolean }> }>;
  validDomains?: string[];
  webApplicationInfo?: { id: string; resource?: string };
  [key: string]: unknown;
}

/** What `buildAppPackage` did, and what stopped it. */
export interface PackageResult {
  env: string;
  /** The env files read, relative to the project root, in the order they were applied. */
  envFiles: string[];
  manifest?: AppManifest;
  /** Set when the zip was written (only when there are no problems). */
  zipPath?: string;
  zipBytes?: number;
  problems: string[];
  warnings: string[];
}

/** Reads a dotenv file: `NAME=value` lines, `#` comments, optional quotes. */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    const raw = match[2];
    const quoted = /^(['"])(.*)\1$/.exec(raw);
    values[match[1]] = quoted ? quoted[2] : raw.replace(/\s+#.*$/, '');
  }
  return values;
}

/** The `${{NAME}}` placeholders in a template, each once. */
export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * Fills `${{NAME}}` placeholders in a JSON template, as the Agents Toolkit does. Values are
 * JSON-escaped, so a quote in a value cannot break out of its string. Empty counts as missing,
 * except for the few placeholders that may be empty (a name suffix).
 */
export function fillPlaceholders(template: string, values: Record<string, string | undefined>): { text: string; missing: string[] } {
  const has = (name: string) => Boolean(values[name]) || (OPTIONAL.has(name) && values[name] !== undefined);
  const missing = placeholdersIn(template).filter((name) => !has(name));
  const text = template.replace(PLACEHOLDER, (whole, name: string) => (has(name) ? JSON.stringify(values[name]).slice(1, -1) : whole));
  return { text, missing };
}

/**
 * The values for an environment: `env/.env.<env>`, then `env/.env.<env>.user` (the Toolkit's
 * per-developer file), then the process environment, each overriding the one before.
 */
export function loadEnv(root: string, env: string, processEnv: Record<string, string | undefined> = {}): { values: Record<string, string | undefined>; files: string[] } {
  const files: string[] = [];
  let values: Record<string, string | undefined> = { TEAMSFX_ENV: env };
  for (const name of [`.env.${env}`, `.env.${env}.user`]) {
    const file = join(root, 'env', name);
    if (!existsSync(file)) continue;
    files.push(relative(root, file));
    values = { ...values, ...parseEnvFile(readFileSync(file, 'utf8')) };
  }
  for (const [name, value] of Object.entries(processEnv)) if (value) values[name] = value;
  return { values, files };
}

/** Schema errors of a filled manifest against the schema @microsoft/app-manifest bundles for its version. */
export function schemaProblems(manifest: unknown): string[] {
  const version = (manifest as { manifestVersion?: unknown })?.manifestVersion;
  if (typeof version !== 'string' || !/^(\d+\.\d+|devPreview)$/.test(version)) return [`manifestVersion ${JSON.stringify(version)} is not a manifest version`];
  let schemaFile: string;
  try {
    schemaFile = createRequire(__filename).resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
  } catch {
    return [`@microsoft/app-manifest bundles no schema for manifest version ${version}`];
  }
  // The Teams schemas are draft-04; ajv-draft-04 is ajv 8 for that draft.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `schema: ${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/** Checks the icons: sizes, and that the outline is white on transparent as Teams requires. */
export function iconProblems(icons: { color: Buffer; outline: Buffer }): string[] {
  const problems: string[] = [];
  for (const which of ['color', 'outline'] as const) {
    const want = ICON_SIZES[which];
    try {
      const { width, height } = readPngHeader(icons[which]);
      if (width !== want || height !== want) problems.push(`${which} icon is ${width}×${height}; Teams needs ${want}×${want}`);
    } catch (error) {
      problems.push(`${which} icon: ${(error as Error).message}`);
    }
  }
  try {
    const { pixels } = decodePng(icons.outline);
    let transparent = 0;
    let coloured = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] === 0) transparent++;
      else if (pixels[i] !== 255 || pixels[i + 1] !== 255 || pixels[i + 2] !== 255) coloured++;
    }
    if (coloured) problems.push(`outline icon has ${coloured} pixels that are neither white nor fully transparent`);
    if (!transparent) problems.push('outline icon has no transparent background');
  } catch (error) {
    problems.push(`outline icon: ${(error as Error).message}`);
  }
  return problems;
}

/**
 * Checks the bot's command menu against the commands it implements: in every scope, each
 * command the bot answers there is listed with its description, and nothing else is.
 */
export function commandProblems(manifest: AppManifest, commands: readonly BotCommand[] = BOT_COMMANDS): string[] {
  const bot = manifest.bots?.[0];
  if (!bot) return ['the manifest declares no bot'];
  const problems: string[] = [];
  for (const scope of SCOPES) {
    const expected = commands.filter((c) => c.scopes.includes(scope));
    if (expected.length && !bot.scopes.includes(scope)) problems.push(`the bot is not installed in ${scope} scope, where ${expected.map((c) => c.title).join(', ')} work`);
    const declared = (bot.commandLists ?? []).filter((l) => l.scopes.includes(scope)).flatMap((l) => l.commands);
    for (const c of expected) {
      const found = declared.find((d) => d.title === c.title);
      if (!found) problems.push(`${scope}: the bot implements "${c.title}" but the manifest does not list it`);
      else if (found.description !== c.description) problems.push(`${scope}: "${c.title}" is described as "${found.description}", not as BOT_COMMANDS says: "${c.description}"`);
    }
    for (const d of declared) {
      if (!expected.some((c) => c.title === d.title)) problems.push(`${scope}: the manifest lists "${d.title}", which the bot does not implement in ${scope} scope`);
    }
  }
  return problems;
}

/** Checks the message extension, SSO and domain wiring that the schema cannot see. */
export function wiringProblems(manifest: AppManifest): string[] {
  const problems: string[] = [];
  const botId = manifest.bots?.[0]?.botId;
  const action = manifest.composeExtensions?.flatMap((x) => x.commands).find((c) => c.id === MESSAGE_EXTENSION_COMMAND_ID);
  if (!action) problems.push(`no message extension command "${MESSAGE_EXTENSION_COMMAND_ID}" (the bot answers only that id)`);
  else if (action.type !== 'action' || !action.context?.includes('message') || action.fetchTask !== true) {
    problems.push(`"${MESSAGE_EXTENSION_COMMAND_ID}" must be an action on messages with fetchTask, as the bot's fetch-task handler expects`);
  }
  if (manifest.composeExtensions?.some((x) => x.botId !== botId)) problems.push('the message extension must run on the same bot');

  const domains = manifest.validDomains ?? [];
  const hosts = new Set<string>();
  collectUrls(manifest, (url) => {
    if (url.protocol === 'https:') hosts.add(url.host);
    else if (url.protocol === 'http:') problems.push(`${url.href} is not https`);
  });
  for (const host of hosts) if (!domains.includes(host)) problems.push(`validDomains lacks ${host}, which the app loads pages from`);

  const info = manifest.webApplicationInfo;
  if (!info) problems.push('no webApplicationInfo: Teams SSO and nested app authentication need it');
  else if (info.resource) {
    // Teams SSO only issues tokens for an api://<domain>/<client id> resource on one of the app's domains.
    const match = /^api:\/\/([^/]+)\/(.+)$/.exec(info.resource);
    if (!match || match[2] !== info.id) problems.push(`webApplicationInfo.resource ${info.resource} must be api://<domain>/${info.id}`);
    else if (!domains.includes(match[1])) problems.push(`webApplicationInfo.resource's domain ${match[1]} is not in validDomains`);
  }
  return problems;
}

function collectUrls(value: unknown, visit: (url: URL) => void): void {
  if (typeof value === 'string') {
    if (/^https?:\/\//i.test(value)) {
      try {
        visit(new URL(value));
      } catch {
        // not a URL after all: the schema reports malformed ones
      }
    }
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) if (key !== '$schema') collectUrls(v, visit);
  }
}

/** Values that look like a sample rather than a real registration; packaging warns about them. */
function sampleWarnings(manifest: AppManifest): string[] {
  const ids = { 'app id': manifest.id, 'bot id': manifest.bots?.[0]?.botId, 'Entra client id': manifest.webApplicationInfo?.id };
  return Object.entries(ids)
    .filter(([, id]) => id && NIL_GUID.test(id))
    .map(([what]) => `the ${what} is the all-zero sample; set a real one before sideloading`);
}

/** Every check on a filled manifest and its icons. */
export function manifestProblems(manifest: AppManifest, icons: { color: Buffer; outline: Buffer }): string[] {
  return [...schemaProblems(manifest), ...iconProblems(icons), ...commandProblems(manifest), ...wiringProblems(manifest)];
}

/**
 * Builds `appPackage/build/appPackage.<env>.zip`: fills the manifest template from the env
 * files, validates it and the icons, writes the zip, and validates the zip read back.
 * Nothing is written when a check fails.
 */
export function buildAppPackage(options: { root: string; env: string; processEnv?: Record<string, string | undefined> }): PackageResult {
  const { root, env } = options;
  const dir = join(root, 'appPackage');
  const { values, files: envFiles } = loadEnv(root, env, options.processEnv);
  const result: PackageResult = { env, envFiles, problems: [], warnings: [] };
  if (!envFiles.length) result.problems.push(`no env/.env.${env}: the values for this environment come from there`);

  const { text, missing } = fillPlaceholders(readFileSync(join(dir, 'manifest.json'), 'utf8'), values);
  if (missing.length) {
    result.problems.push(`no value for ${missing.join(', ')} (set ${missing.length > 1 ? 'them' : 'it'} in env/.env.${env} or the environment)`);
    return result;
  }
  const manifest = JSON.parse(text) as AppManifest;
  result.manifest = manifest;
  const iconFiles = { color: manifest.icons?.color, outline: manifest.icons?.outline };
  const icons: Record<'color' | 'outline', Buffer> = { color: Buffer.alloc(0), outline: Buffer.alloc(0) };
  for (const which of ['color', 'outline'] as const) {
    const file = iconFiles[which];
    if (!file || !existsSync(join(dir, file))) result.problems.push(`${which} icon ${file ?? '(none)'} not found in appPackage/`);
    else icons[which] = readFileSync(join(dir, file));
  }
  if (result.problems.length) return result;
  result.problems.push(...manifestProblems(manifest, icons));
  result.warnings.push(...sampleWarnings(manifest));
  if (result.problems.length) return result;

  const zip = writeZip([
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2) + '\n') },
    { name: iconFiles.color as string, data: icons.color },
    { name: iconFiles.outline as string, data: icons.outline },
  ]);
  // Check what Teams will read, not what we meant to write.
  const entries = Object.fromEntries(readZip(zip).map((e) => [e.name, e.data]));
  const packed = JSON.parse(entries['manifest.json'].toString('utf8')) as AppManifest;
  const zipped = manifestProblems(packed, { color: entries[iconFiles.color as string], outline: entries[iconFiles.outline as string] });
  if (zipped.length) {
    result.problems.push(...zipped.map((p) => `in the zip: ${p}`));
    return result;
  }
  mkdirSync(join(dir, 'build'), { recursive: true });
  result.zipPath = join(dir, 'build', `appPackage.${env}.zip`);
  writeFileSync(result.zipPath, zip);
  result.zipBytes = zip.length;
  return result;
}
