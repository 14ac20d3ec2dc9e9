/**
 * The study clock of a page (学习进度上报): while the page is in front it reports the seconds spent every
 * REPORT_SECONDS to `url` — for a video or audio only the time it was playing, so jumping to the end earns
 * nothing; the server credits no more than its clock allows. A hidden tab or a paused player reports nothing —
 * unless `away()` says the learner is reading what this page opened in another (a PDF lesson in the browser's
 * viewer). Leaving (another lesson, another page) reports what is left.
 */
import { REPORT_SECONDS } from '@xianfeng/shared';
import { useCallback, useEffect, useRef } from 'react';
import { api } from '../../platform/api';

export function useHeartbeat<R>(
  url: string | null,
  media: boolean,
  onReply: (r: R) => void,
  away: () => boolean = () => false,
) {
  /** Since when the player plays (null: paused), and the playing time not yet reported. */
  const playingSince = useRef<number | null>(null);
  const played = useRef(0);
  const last = useRef(Date.now());
  const reply = useRef(onReply);
  reply.current = onReply;
  const elsewhere = useRef(away);
  elsewhere.current = away;
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
      if ((document.visibilityState !== 'visible' && !elsewhere.current()) || seconds <= 0) return;
      try {
        reply.current(await api.post<R>(url, { seconds }));
      } catch {
        /* a lost report only delays progress */
      }
    };
    void api.post<R>(url, { seconds: 0 }).then(
      (r) => reply.current(r),
      () => undefined,
    );
    const timer = setInterval(report, REPORT_SECONDS * 1000);
    return () => {
      clearInterval(timer);
      void report();
    };
  }, [url, media]);

  /** Props for the <video>/<audio> element: playing time counts, pauses and stalls do not. */
  return { onPlaying: start, onPause: stop, onEnded: stop, onWaiting: stop };
}
