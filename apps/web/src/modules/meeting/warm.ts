/**
 * Readies the sign-in page for a meeting place with no signal (issue 24): once per visit, in idle time and only on a
 * phone where the service worker controls the page, fetch the sign-in page's code (the worker keeps /assets/* for
 * offline use) and the member's upcoming meetings as that page asks for them (platform/offline.ts keeps the answer).
 * Then the venue QR code opens a page that shows the meeting and can keep the sign-in, with no network. Without a
 * worker nothing is fetched: the code could not open offline anyway, and the first load stays as small as it was.
 */
import { api } from '../../platform/api';
import { CHECKIN_INVITATIONS_QUERY } from './labels';

let warmed = false;

export function warmCheckinPage(): void {
  if (warmed || typeof navigator === 'undefined' || !navigator.serviceWorker?.controller) return;
  warmed = true;
  const go = () => {
    void import('./CheckinPage').catch(() => undefined);
    void api.get('/meeting-invitations/mine', CHECKIN_INVITATIONS_QUERY).catch(() => undefined);
  };
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(go, { timeout: 5000 });
  else setTimeout(go, 2000);
}
