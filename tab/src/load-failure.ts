/**
 * What the page says when the board's own code did not arrive: plain DOM, since React and
 * Fluent UI are in the code that failed, so the page is never blank and can be retried.
 */
export function showLoadFailure(): void {
  const root = document.getElementById('root');
  if (!root) return;
  const box = document.createElement('main');
  box.setAttribute('role', 'alert');
  box.style.cssText = 'font-family: "Segoe UI", system-ui, sans-serif; padding: 32px; text-align: center;';
  const text = document.createElement('p');
  text.textContent = 'Noticed could not load. Check your connection, then retry.';
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.textContent = 'Retry';
  retry.addEventListener('click', () => window.location.reload());
  box.append(text, retry);
  root.replaceChildren(box);
}
