/**
 * The title of a page opened from a list: a ← button (「返回」 to screen readers) and the record's name. `to` is the
 * list it came from; without it the button goes one step back in the history (the page is reached from several
 * places).
 */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';

export function BackTitle({ to, children }: { to?: string; children: ReactNode }) {
  const navigate = useNavigate();
  return (
    <Space>
      <Button
        type="text"
        icon={<ArrowLeftOutlined />}
        aria-label="返回"
        onClick={() => (to === undefined ? navigate(-1) : navigate(to))}
      />
      {children}
    </Space>
  );
}
