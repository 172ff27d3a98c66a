import { relative } from 'node:path';
import { BOT_COMMANDS, type BotScope } from '../../core';
import { buildAppPackage, ICON_SIZES } from './app-package';

const USAGE = 'usage: npm run package [-- <env>]   (env defaults to local; values come from env/.env.<env>)';

/** `npm run package [-- <env>]`: builds and validates the Teams app zip; returns the exit code. */
export function main(argv: readonly string[], root: string, log: (line: string) => void = console.log): number {
  const args = argv.filter((a) => a !== '--env');
  if (args.some((a) => a.startsWith('-')) || args.length > 1) {
    log(USAGE);
    return 2;
  }
  const env = args[0] ?? 'local';
  const result = buildAppPackage({ root, env, processEnv: process.env });
  log(`Noticed app package for "${env}"${result.envFiles.length ? ` (values from ${result.envFiles.join(', ')})` : ''}`);
  for (const warning of result.warnings) log(`  warning: ${warning}`);
  if (result.problems.length || !result.manifest || !result.zipPath) {
    log(`  ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}; no zip written:`);
    for (const problem of result.problems) log(`  ✗ ${problem}`);
    return 1;
  }
  const m = result.manifest;
  const scopes = (['personal', 'team', 'groupChat'] as BotScope[]).map((s) => `${s}: ${BOT_COMMANDS.filter((c) => c.scopes.includes(s)).map((c) => c.title).join(', ')}`);
  log(`  ✓ manifest ${m.manifestVersion} valid against the schema bundled in @microsoft/app-manifest`);
  log(`  ✓ icons: color ${ICON_SIZES.color}×${ICON_SIZES.color}, outline ${ICON_SIZES.outline}×${ICON_SIZES.outline} white on transparent`);
  log(`  ✓ bot commands match BOT_COMMANDS (${scopes.join(' · ')})`);
  log(`  ✓ message extension giveCredit, SSO resource ${m.webApplicationInfo?.resource}, valid domains ${m.validDomains?.join(', ')}`);
  log(`  wrote ${relative(root, result.zipPath)} (${result.zipBytes} bytes): app ${m.id}, bot ${m.bots?.[0]?.botId}`);
  return 0;
}
