/**
 * The side panel that shows one record opened from a list (a rectification, a commitment, a unit's assessment, a
 * thought report): full width on a phone, `width` on a desktop; the load error with its 「重试」 on top; a spinner
 * until the record is there, then `children(record)`. Four management pages wrote this frame by hand (issue #15).
 * It is destroyed when closed, so the next record opens with fresh state.
 */
import { Drawer, Grid, Spin } from 'antd';
import type { ReactNode } from 'react';
import { LoadError } from './LoadError';

export function RecordDrawer<T>({
  open,
  title,
  width,
  onClose,
  load,
  children,
}: {
  open: boolean;
  title: ReactNode;
  /** On a desktop; a phone gets the whole width. */
  width: number;
  onClose: () => void;
  /** The record's `useAsync` (null or no data yet: the spinner). */
  load: { data?: T | null; error: string | null; reload: () => unknown };
  children: (record: T) => ReactNode;
}) {
  const phone = !Grid.useBreakpoint().md;
  return (
    <Drawer title={title} open={open} onClose={onClose} width={phone ? '100%' : width} destroyOnHidden>
      <LoadError error={load.error} onRetry={load.reload} />
      {load.data ? children(load.data) : <Spin className="xf-center-small" />}
    </Drawer>
  );
}
