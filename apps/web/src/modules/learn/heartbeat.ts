/**
 * The study clock of a page (学习进度上报): while the page is in front it reports the seconds spent every
 * REPORT_SECONDS to `url` — for a video or audio only the time it was playing, so jumping to the end earns
 * nothing; the server credits no more than its clock allows. A hidden tab or a paused player reports nothing —
 * unless `away()` says the learner is reading what this page opened in another (a PDF lesson in the browser's
 * viewer). Leaving (another lesson, another page) reports what is left.
 *
 * A text lesson gives `position()`: the furthest it was read (0–100 %). Every report carries it, and `moved()` —
 * called when the learner scrolls further — reports early, at most every TEXT_READ_RULE.reportEverySeconds, so
 * the server knows how far they read without waiting for the half-minute beat.
 */
import { REPORT_SECONDS, TEXT_READ_RULE } from '@xianfeng/shared';
import { useCallback, useEffect, useRef } from 'react';
import { api } from '../../platform/api';

export function useHeartbeat<R>(
  url: string | null,
  media: boolean,
  onReply: (r: R) => void,
  away: () => boolean = () => false,
  position?: () => number,
) {
  /** Since when the player plays (null: paused), and the playing time not yet reported. */
  const playingSince = useRef<number | null>(null);
  const played = useRef(0);
  const last = useRef(Date.now());
  const reply = useRef(onReply);
  reply.current = onReply;
  const elsewhere = useRef(away);
  elsewhere.current = away;
  const where = useRef(position);
  where.current = position;
  /** The position last sent, the report of now (set by the effect), and the early report waiting to go. */
  const sent = useRef(-1);
  const reportNow = useRef<(() => Promise<void>) | null>(null);
  const early = useRef<ReturnType<typeof setTimeout> | null>(null);
  const start = useCallback(() => {
    if (playingSince.current === null) playingSince.current = Date.now();
  }, []);
  const stop = useCallback(() => {
    if (playingSince.current !== null) played.current += Date.now() - playingSince.current;
    playingSince.current = null;
  }, []);

  useEffect(() => {
    if (!url) return;
    last.current = Date.now();
    played.current = 0;
    playingSince.current = null;
    sent.current = -1;
    const report = async () => {
      let ms = Date.now() - last.current;
      last.current = Date.now();
      if (media) {
        // Only the time the player was playing since the last report.
        if (playingSince.current !== null) {
          played.current += Date.now() - playingSince.current;
          playingSince.current = Date.now();
        }
        ms = played.current;
        played.current = 0;
      }
      const seconds = Math.min(3600, Math.round(ms / 1000));
      const at = where.current?.();
      const further = at !== undefined && at > sent.current;
      if (document.visibilityState !== 'visible' && !elsewhere.current()) return;
      if (seconds <= 0 && !further) return;
      // Reading time not yet counted whole (less than a second) stays for the next report.
      if (!media) last.current -= ms - seconds * 1000;
      if (at !== undefined) sent.current = Math.max(sent.current, at);
      try {
        reply.current(await api.post<R>(url, at === undefined ? { seconds } : { seconds, position: at }));
      } catch {
        /* a lost report only delays progress */
      }
    };
    void api.post<R>(url, { seconds: 0 }).then(
      (r) => reply.current(r),
      () => undefined,
    );
    const timer = setInterval(report, REPORT_SECONDS * 1000);
    reportNow.current = report;
    return () => {
      clearInterval(timer);
      if (early.current) clearTimeout(early.current);
      early.current = null;
      reportNow.current = null;
      void report();
    };
  }, [url, media]);

  /** The learner read further: report it now, or as soon as TEXT_READ_RULE.reportEverySeconds has passed. */
  const moved = useCallback(() => {
    if (early.current || !reportNow.current) return;
    const wait = Math.max(0, last.current + TEXT_READ_RULE.reportEverySeconds * 1000 - Date.now());
    early.current = setTimeout(() => {
      early.current = null;
      void reportNow.current?.();
    }, wait);
  }, []);

  /** Props for the <video>/<audio> element: playing time counts, pauses and stalls do not. */
  return { player: { onPlaying: start, onPause: stop, onEnded: stop, onWaiting: stop }, moved };
}
