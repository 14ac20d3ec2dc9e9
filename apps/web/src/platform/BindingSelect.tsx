/**
 * The org/role switcher of a user with several bindings (platform/Layout.tsx). Its own file, loaded only for such a
 * user: antd's Select (with its virtual list) is the largest piece of the frame, and a member has one binding.
 */
import { ROLE_LABELS, type Role } from '@xianfeng/shared';
import { Select } from 'antd';

export type BindingOption = { role: Role; orgId: string; orgName: string };

export const bindingKey = (b: { role: string; orgId: string }) => `${b.role}@${b.orgId}`;

export function BindingSelect({
  roles,
  current,
  onChange,
}: {
  roles: BindingOption[];
  current: BindingOption | null;
  onChange: (b: BindingOption) => void;
}) {
  return (
    <Select
      aria-label="切换组织与角色"
      className="xf-switcher"
      value={current ? bindingKey(current) : undefined}
      onChange={(k) => {
        const b = roles.find((r) => bindingKey(r) === k);
        if (b) onChange(b);
      }}
      options={roles.map((b) => ({ value: bindingKey(b), label: `${b.orgName} · ${ROLE_LABELS[b.role]}` }))}
      popupMatchSelectWidth={false}
    />
  );
}
