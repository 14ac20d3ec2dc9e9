/** Choosing one member of an org subtree by typing part of the name (the roster search); for forms of any module. */
import type { Member } from '@xianfeng/shared';
import { Select } from 'antd';
import { useState } from 'react';
import { api, type Page } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';

export function MemberSelect({
  orgId,
  value,
  onChange,
  id,
  allowClear,
  placeholder = '输入姓名搜索',
  onPick,
}: {
  orgId?: string;
  value?: string | null;
  onChange?: (v: string | null) => void;
  id?: string;
  allowClear?: boolean;
  placeholder?: string;
  /** The chosen member's row (name, org), for forms that list their choices. */
  onPick?: (m: Member) => void;
}) {
  const [q, setQ] = useState('');
  const list = useAsync(() => api.get<Page<Member>>('/members', { orgId, q, pageSize: 20 }), [orgId, q]);
  return (
    <Select
      id={id}
      showSearch
      allowClear={allowClear}
      value={value ?? undefined}
      onChange={(v) => {
        onChange?.(v ?? null);
        const m = list.data?.items.find((x) => x.id === v);
        if (m) onPick?.(m);
      }}
      filterOption={false}
      onSearch={setQ}
      loading={list.loading}
      placeholder={placeholder}
      options={(list.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.name}（${m.orgName}）` }))}
    />
  );
}
