import type { TeamsLinkTarget } from './teams';

/**
 * The link a person shares: in Teams, the deep link that opens this tab at `subPageId` (what the
 * tab reads back as its sub-page), with the board's web address as its fallback; outside, that address.
 */
export function shareLink(webUrl: string, subPageId: string, teams?: TeamsLinkTarget): string {
  if (!teams) return webUrl;
  const link = new URL(`https://teams.microsoft.com/l/entity/${encodeURIComponent(teams.appId)}/${encodeURIComponent(teams.entityId)}`);
  link.searchParams.set('webUrl', webUrl);
  link.searchParams.set('label', 'Noticed');
  // A channel tab is found by its channel and team; a personal or chat tab by the app and entity alone.
  link.searchParams.set('context', JSON.stringify({ subEntityId: subPageId, ...(teams.channelId ? { channelId: teams.channelId } : {}) }));
  if (teams.groupId) link.searchParams.set('groupId', teams.groupId);
  if (teams.tenantId) link.searchParams.set('tenantId', teams.tenantId);
  return link.toString();
}

/**
 * Copies text: the Clipboard API where the page may use it, else the older copy command on a
 * selected field (a frame without clipboard permission, an older WebView). False when neither did.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const field = document.createElement('textarea');
    field.value = text;
    field.setAttribute('readonly', '');
    field.style.position = 'fixed';
    field.style.opacity = '0';
    document.body.append(field);
    field.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    } finally {
      field.remove();
    }
  }
}
