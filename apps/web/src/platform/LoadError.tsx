/**
 * What a page shows when its data did not load: the Chinese message (with the request id when the
 * server or the network failed, from errorText) and a 「重试」 button, so nobody is left at a
 * dead end with a status code.
 */
import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button } from 'antd';
import { useState, type CSSProperties } from 'react';

export function LoadError({
  error,
  onRetry,
  style,
  className,
}: {
  error: string | null | undefined;
  onRetry?: () => unknown;
  style?: CSSProperties;
  className?: string;
}) {
  const [busy, setBusy] = useState(false);
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      className={className}
      style={{ marginBottom: 12, ...style }}
      message={error}
      action={
        onRetry && (
          <Button
            size="small"
            icon={<ReloadOutlined />}
            loading={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await onRetry();
              } finally {
                setBusy(false);
              }
            }}
          >
            重试
          </Button>
        )
      }
    />
  );
}
