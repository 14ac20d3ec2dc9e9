/**
 * What is waiting on this phone to be sent, in plain words, under the header of every page (issue 24): 「1 条记录
 * 已保存在手机上，联网后自动提交」, then what went through (已提交) and what the server refused, with its reason, each
 * until the member taps 知道了. platform/queue.ts keeps and sends them.
 */
import { Alert, Button } from 'antd';
import { useEffect } from 'react';
import { dismiss, startQueue, useQueue } from './queue';

export function QueueBanner() {
  const items = useQueue();
  useEffect(() => startQueue(), []);
  const waiting = items.filter((i) => i.state === 'waiting');
  const done = items.filter((i) => i.state !== 'waiting');
  if (items.length === 0) return null;
  return (
    <div className="xf-queue" data-testid="queue">
      {waiting.length > 0 && (
        <Alert
          type="info"
          showIcon
          banner
          role="status"
          message={`${waiting.length} 条记录已保存在手机上，联网后自动提交`}
          description={waiting.map((i) => i.title).join('；')}
        />
      )}
      {done.map((i) => (
        <Alert
          key={i.id}
          type={i.state === 'sent' ? 'success' : 'error'}
          showIcon
          banner
          role={i.state === 'sent' ? 'status' : 'alert'}
          message={i.state === 'sent' ? `已提交：${i.title}` : `未能提交：${i.title}`}
          description={i.state === 'failed' ? i.error : undefined}
          action={
            <Button size="small" onClick={() => dismiss(i.id)}>
              知道了
            </Button>
          }
        />
      ))}
    </div>
  );
}
