import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvFile, placeholdersIn } from '../appPackage/src/app-package';
import { loadConfig } from '../bot';

// The Bicep CLI is not available offline, so the templates are checked as text: declarations
// against uses, module parameters against what is passed, and the app settings against what
// the server's config reads. Bicep itself would catch a typo only at deployment time.

const root = join(__dirname, '..');
const infra = join(root, 'infra');
const read = (...path: string[]) => readFileSync(join(root, ...path), 'utf8');

/** The code of a Bicep file without comments and without the text of strings (interpolations kept). */
function code(bicep: string): string {
  let out = '';
  for (let i = 0; i < bicep.length; i++) {
    const ch = bicep[i];
    if (ch === '/' && bicep[i + 1] === '/') {
      while (i < bicep.length && bicep[i] !== '\n') i++;
      out += '\n';
    } else if (ch === '/' && bicep[i + 1] === '*') {
      i = bicep.indexOf('*/', i + 2) + 1;
    } else if (ch === "'") {
      out += "'";
      for (i++; i < bicep.length && bicep[i] !== "'"; i++) {
        if (bicep[i] === '\\') i++;
        else if (bicep[i] === '$' && bicep[i + 1] === '{') {
          let depth = 0;
          for (i += 2; i < bicep.length && !(bicep[i] === '}' && depth === 0); i++) {
            if (bicep[i] === '{') depth++;
            if (bicep[i] === '}') depth--;
            out += bicep[i];
          }
          out += ' ';
        }
      }
      out += "'";
    } else out += ch;
  }
  return out;
}

interface BicepFile {
  text: string;
  code: string;
  params: Map<string, { hasDefault: boolean; described: boolean }>;
  declared: Set<string>;
}

function parseBicep(file: string): BicepFile {
  const text = readFileSync(file, 'utf8');
  const c = code(text);
  const params = new Map<string, { hasDefault: boolean; described: boolean }>();
  for (const m of text.matchAll(/((?:^@.*\n)*)^param\s+(\w+)\s+\w+(\s*=)?/gm)) params.set(m[2], { hasDefault: Boolean(m[3]), described: /@description\(/.test(m[1]) });
  const declared = new Set<string>(params.keys());
  for (const m of c.matchAll(/^(?:var|resource|module|output)\s+(\w+)/gm)) declared.add(m[1]);
  for (const m of c.matchAll(/\bfor\s+(\w+)\s+in\b/g)) declared.add(m[1]);
  return { text, code: c, params, declared };
}

const KEYWORDS = new Set(['param', 'var', 'resource', 'module', 'output', 'existing', 'if', 'for', 'in', 'true', 'false', 'null', 'string', 'int', 'bool', 'object', 'array', 'targetScope']);

/** Names used as values that nothing declares: what the Bicep compiler would reject. */
function undeclared(file: BicepFile): string[] {
  const found = new Set<string>();
  for (const m of file.code.matchAll(/(?<![.@\w'])([A-Za-z_]\w*)\b(?!\s*[(:])/g)) {
    const name = m[1];
    if (!KEYWORDS.has(name) && !file.declared.has(name)) found.add(name);
  }
  return [...found];
}

/** The body of the `{ … }` that starts at `open`. */
function block(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error('unbalanced braces');
}

/** The keys of an object body, at its top level only. */
function topLevelKeys(body: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (const line of body.split('\n')) {
    const m = /^\s*(\w+)\s*:/.exec(line);
    if (m && depth === 0) keys.push(m[1]);
    depth += (line.match(/[{[]/g) ?? []).length - (line.match(/[}\]]/g) ?? []).length;
  }
  return keys;
}

/** `KEY: value` pairs of `var <name> = { … }` in a Bicep file. */
function objectVar(bicep: string, name: string): Record<string, string> {
  const at = bicep.search(new RegExp(`^var ${name} = \\{`, 'm'));
  expect(at).toBeGreaterThanOrEqual(0);
  const body = block(bicep, bicep.indexOf('{', at));
  return Object.fromEntries([...body.matchAll(/^\s*(\w+):\s*(.+?)\s*$/gm)].map((m) => [m[1], m[2]]));
}

const main = parseBicep(join(infra, 'main.bicep'));
const moduleFiles = readdirSync(join(infra, 'modules')).filter((f) => f.endsWith('.bicep'));
const files = [join(infra, 'main.bicep'), ...moduleFiles.map((f) => join(infra, 'modules', f))];

describe('infra/*.bicep', () => {
  it.each(files.map((f) => [f.slice(root.length + 1), f]))('%s uses only what it declares, and uses and documents every parameter', (_name, file) => {
    const bicep = parseBicep(file);
    expect(undeclared(bicep)).toEqual([]);
    const withoutDeclarations = bicep.code.replace(/^param\s+\w+/gm, '');
    const unused = [...bicep.params.keys()].filter((p) => !new RegExp(`\\b${p}\\b`).test(withoutDeclarations));
    expect(unused).toEqual([]);
    expect([...bicep.params].filter(([, p]) => !p.described).map(([n]) => n)).toEqual([]);
  });

  it('the undeclared-name check finds a typo (the check can fail)', () => {
    const typo = parseBicep(join(infra, 'main.bicep'));
    typo.code = typo.code.replace('cosmosDatabaseName\n', 'cosmosDatabseName\n');
    expect(undeclared(typo)).toEqual(['cosmosDatabseName']);
  });

  it('passes every module the parameters it declares, and only those', () => {
    const modules = [...main.text.matchAll(/^module\s+(\w+)\s+'([^']+)'\s*=\s*\{/gm)];
    expect(modules.map((m) => m[2]).sort()).toEqual(moduleFiles.map((f) => `modules/${f}`).sort());
    for (const m of modules) {
      const body = block(main.text, main.text.indexOf('{', m.index));
      const passed = topLevelKeys(block(body, body.indexOf('params:') + body.slice(body.indexOf('params:')).indexOf('{')));
      const declared = parseBicep(join(infra, m[2])).params;
      expect({ module: m[1], unknown: passed.filter((p) => !declared.has(p)) }).toEqual({ module: m[1], unknown: [] });
      const required = [...declared].filter(([, p]) => !p.hasDefault).map(([n]) => n);
      expect({ module: m[1], missing: required.filter((p) => !passed.includes(p)) }).toEqual({ module: m[1], missing: [] });
    }
  });

  it('main.parameters.json sets declared parameters and every required one, from values provisioning has', () => {
    const parameters = JSON.parse(read('infra', 'main.parameters.json')).parameters;
    expect(Object.keys(parameters).filter((p) => !main.params.has(p))).toEqual([]);
    expect([...main.params].filter(([n, p]) => !p.hasDefault && !(n in parameters)).map(([n]) => n)).toEqual([]);
    const dev = parseEnvFile(read('env', '.env.dev'));
    const yml = read('m365agents.yml');
    const writtenBeforeDeploy = [...yml.slice(0, yml.indexOf('uses: arm/deploy')).matchAll(/^\s+\w+: ([A-Z][A-Z0-9_]*)\s*$/gm)].map((m) => m[1]);
    for (const name of placeholdersIn(read('infra', 'main.parameters.json'))) {
      expect({ name, known: name in dev }).toEqual({ name, known: true });
      if (!dev[name] && name !== 'APP_NAME_SUFFIX') expect({ name, written: writtenBeforeDeploy.includes(name) }).toEqual({ name, written: true });
    }
  });

  it('every manifest placeholder has a value once provisioning has run: env file, aadApp/teamsApp outputs or Bicep outputs', () => {
    const dev = parseEnvFile(read('env', '.env.dev'));
    const yml = read('m365agents.yml');
    const written = new Set([...yml.matchAll(/^\s+\w+: ([A-Z][A-Z0-9_]*)\s*$/gm)].map((m) => m[1]));
    const outputs = new Set([...main.code.matchAll(/^output\s+(\w+)/gm)].map((m) => m[1]));
    for (const name of placeholdersIn(read('appPackage', 'manifest.json'))) {
      expect({ name, known: name in dev }).toEqual({ name, known: true });
      expect({ name, filled: Boolean(dev[name]) || written.has(name) || outputs.has(name) || name === 'APP_NAME_SUFFIX' }).toEqual({ name, filled: true });
    }
  });
});

describe('the web app settings', () => {
  const settings = objectVar(main.text, 'serverSettings');
  const configKeys = (() => {
    const config = read('bot', 'src', 'config.ts');
    const at = config.indexOf('const env = z.object(');
    return topLevelKeys(block(config, config.indexOf('{', at)));
  })();
  // What the server reads but Azure leaves to its default, each for a reason.
  const LEFT_TO_DEFAULT: Record<string, string> = {
    HOST: '0.0.0.0 in production',
    PORT: 'App Service sets PORT for the container',
    LOG_LEVEL: 'info',
    SQLITE_PATH: 'the store is Cosmos DB',
    COSMOS_KEY: 'keys are disabled; the managed identity signs in',
    BOT_PASSWORD: 'a UserAssignedMSI bot has no password',
    SEED_DEMO: 'never seed demo data in production',
    SHUTDOWN_GRACE_MS: '10 s, App Service\'s default grace',
  };

  it('are exactly what bot/src/config.ts reads in production, plus AZURE_CLIENT_ID for @azure/identity', () => {
    expect(configKeys).toContain('NODE_ENV');
    expect(Object.keys(LEFT_TO_DEFAULT).filter((k) => !configKeys.includes(k))).toEqual([]);
    const expected = [...configKeys.filter((k) => !(k in LEFT_TO_DEFAULT)), 'AZURE_CLIENT_ID'];
    expect(Object.keys(settings).sort()).toEqual(expected.sort());
  });

  it('run the server in production on Cosmos DB as the managed identity', () => {
    expect(settings).toMatchObject({
      NODE_ENV: "'production'",
      STORE: "'cosmos'",
      BOT_TYPE: "'UserAssignedMSI'",
      BOT_ID: 'identity.outputs.clientId',
      AZURE_CLIENT_ID: 'identity.outputs.clientId',
      BOT_TENANT_ID: 'identity.outputs.tenantId',
      COSMOS_ENDPOINT: 'cosmos.outputs.endpoint',
      AUTH_APP_ID_URI: "'api://${host}/${authClientId}'",
      PUBLIC_URL: "'https://${host}'",
      APPLICATIONINSIGHTS_CONNECTION_STRING: 'monitoring.outputs.connectionString',
      TEAMS_APP_ID: 'teamsAppId',
    });
  });

  it('start the server as it would start in Azure', () => {
    const sample: Record<string, string> = {
      host: 'noticed3f9a2c.azurewebsites.net',
      authClientId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      'identity.outputs.clientId': '2f4e6a8c-1b3d-4f5a-8c7e-9d0b1a2c3e4f',
      'identity.outputs.tenantId': '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      'cosmos.outputs.endpoint': 'https://noticed3f9a2c-cosmos.documents.azure.com:443/',
      cosmosDatabaseName: 'noticed',
      cosmosContainerName: 'noticed',
      allowedTenants: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      teamsAppId: 'c75f7510-0ba0-44ca-9368-e1a9f66c89d8',
      'monitoring.outputs.connectionString':
        'InstrumentationKey=5e1c2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;ApplicationId=0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f',
    };
    const evaluate = (expr: string) => {
      const literal = /^'(.*)'$/.exec(expr);
      if (literal) return literal[1].replace(/\$\{(\w+)\}/g, (_, n: string) => sample[n]);
      expect(sample).toHaveProperty([expr]);
      return sample[expr];
    };
    const env = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, evaluate(v)]));
    const config = loadConfig({ ...env, PORT: '8080' });
    expect(config).toMatchObject({
      production: true,
      localMode: false,
      host: '0.0.0.0',
      publicUrl: 'https://noticed3f9a2c.azurewebsites.net',
      store: { kind: 'cosmos', key: undefined, databaseId: 'noticed', containerId: 'noticed' },
      bot: { appId: sample['identity.outputs.clientId'], type: 'UserAssignedMSI', password: undefined },
      auth: { clientId: sample.authClientId, appIdUri: `api://noticed3f9a2c.azurewebsites.net/${sample.authClientId}` },
      seedDemo: false,
      shutdownGraceMs: 10_000,
      applicationInsightsConnectionString: sample['monitoring.outputs.connectionString'],
      teamsAppId: sample.teamsAppId,
    });
  });

  it('send traces and logs to a workspace-based Application Insights made with the rest', () => {
    const monitoring = read('infra', 'modules', 'monitoring.bicep');
    expect(monitoring).toMatch(/resource insights 'Microsoft\.Insights\/components@[\s\S]*WorkspaceResourceId: workspace\.id/);
    expect(monitoring).toMatch(/^output connectionString string = insights\.properties\.ConnectionString$/m);
    expect(main.text).toMatch(/^module monitoring 'modules\/monitoring\.bicep'/m);
  });
});

describe('the Azure resources', () => {
  const web = read('infra', 'modules', 'web-app.bicep');
  const cosmos = read('infra', 'modules', 'cosmos.bicep');
  const bot = read('infra', 'modules', 'bot.bicep');

  it('App Service: Linux, current Node LTS, HTTPS only, always on, no FTP, TLS 1.2, the identity attached', () => {
    expect(web).toMatch(/kind: 'linux'[\s\S]*reserved: true/);
    expect(main.text).toMatch(/param linuxFxVersion string = 'NODE\|(22|24)-lts'/);
    expect(web).toMatch(/^\s+httpsOnly: true$/m);
    expect(web).toMatch(/^\s+alwaysOn: true$/m);
    expect(web).toMatch(/^\s+ftpsState: 'Disabled'$/m);
    expect(web).toMatch(/^\s+minTlsVersion: '1\.2'$/m);
    expect(web).toMatch(/type: 'UserAssigned'\s+userAssignedIdentities: \{\s+'\$\{identityId\}': \{\}/);
    expect(web).toMatch(/appCommandLine: 'node [^']*dist\/bot\/src\/index\.js'/);
    // Readiness (store reachable, not draining), not liveness: a draining instance gets no new traffic.
    expect(web).toMatch(/^\s+healthCheckPath: '\/readyz'$/m);
  });

  it('Azure Bot: the managed identity as UserAssignedMSI, the /api/messages endpoint, the Teams channel', () => {
    expect(bot).toMatch(/msaAppType: 'UserAssignedMSI'/);
    expect(bot).toMatch(/msaAppId: identityClientId/);
    expect(bot).toMatch(/msaAppMSIResourceId: identityResourceId/);
    expect(bot).toMatch(/msaAppTenantId: tenantId/);
    expect(bot).toMatch(/channelName: 'MsTeamsChannel'/);
    expect(main.text).toMatch(/endpoint: 'https:\/\/\$\{webApp\.outputs\.defaultHostName\}\/api\/messages'/);
  });

  it('Cosmos DB: serverless, keys disabled, Data Contributor for the identity, container on /pk', () => {
    expect(cosmos).toMatch(/name: 'EnableServerless'/);
    expect(cosmos).toMatch(/^\s+disableLocalAuth: true$/m);
    expect(cosmos).toMatch(/var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'/);
    expect(cosmos).toMatch(/sqlRoleAssignments@[\s\S]*principalId: principalId/);
    expect(main.text).toMatch(/principalId: identity\.outputs\.principalId/);
    expect(cosmos).toMatch(/paths: \[\s+'\/pk'\s+\]/);
  });

  it('Cosmos DB: the container indexes exactly as the store adapter creates it', () => {
    const store = read('core', 'src', 'store', 'cosmos-store.ts');
    const policy = store.slice(store.indexOf('const INDEXING_POLICY'), store.indexOf('};', store.indexOf('const INDEXING_POLICY')));
    const composite = (text: string) => [...text.matchAll(/path: '([^']+)', order: '(\w+)'/g)].map((m) => `${m[1]} ${m[2]}`);
    const excluded = (text: string) => [...text.slice(text.indexOf('excludedPaths')).matchAll(/\{ path: '([^']+)' \}/g)].map((m) => m[1]).slice(0, 2);
    expect(composite(policy)).toEqual(['/createdAt descending', '/id descending', '/createdAt ascending', '/id ascending']);
    expect(composite(cosmos)).toEqual(composite(policy));
    expect(excluded(cosmos)).toEqual(excluded(policy));
  });
});

describe('m365agents.yml and env files', () => {
  const yml = read('m365agents.yml');

  it('provisions with infra/main.bicep, then deploys and publishes the app package', () => {
    // The newest project-file schema the Agents Toolkit accepts (its validator lists up to v1.14).
    expect(yml).toMatch(/^version: v1\.14$/m);
    expect(yml).toMatch(/^# yaml-language-server: \$schema=https:\/\/aka\.ms\/m365-agents-toolkits\/v1\.14\/yaml\.schema\.json$/m);
    expect(yml).toMatch(/- path: \.\/infra\/main\.bicep\n\s+parameters: \.\/infra\/main\.parameters\.json/);
    for (const section of ['provision', 'deploy', 'publish']) expect(yml).toMatch(new RegExp(`^${section}:$`, 'm'));
    const steps = [...yml.matchAll(/uses: (\S+)/g)].map((m) => m[1]);
    expect(steps.slice(0, 3)).toEqual(['aadApp/create', 'teamsApp/create', 'arm/deploy']);
    expect(steps).toEqual(expect.arrayContaining(['teamsApp/validateManifest', 'teamsApp/zipAppPackage', 'teamsApp/update', 'azureAppService/zipDeploy', 'teamsApp/publishAppPackage']));
    expect(yml).toMatch(/manifestPath: \.\/appPackage\/manifest\.json/);
    expect(yml).toMatch(/resourceId: \$\{\{BOT_AZURE_APP_SERVICE_RESOURCE_ID\}\}/);
    expect(main.code).toMatch(/^output BOT_AZURE_APP_SERVICE_RESOURCE_ID string/m);
    expect(existsSync(join(root, 'infra', 'main.parameters.json'))).toBe(true);
  });

  it.each(['local', 'dev'])('env/.env.%s holds no secret-looking names or values', (env) => {
    const values = parseEnvFile(read('env', `.env.${env}`));
    expect(Object.keys(values).filter((k) => /SECRET|PASSWORD|_KEY$|TOKEN|CONNECTION_STRING/.test(k))).toEqual([]);
    const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const secretLike = Object.entries(values).filter(([, v]) => /AccountKey=|-----BEGIN|SharedAccessSignature|sig=/.test(v) || (!guid.test(v) && /^[A-Za-z0-9+/=_~.-]{32,}$/.test(v)));
    expect(secretLike).toEqual([]);
  });
});
