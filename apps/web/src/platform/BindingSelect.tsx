/**
 * The org/role switcher of a user with several bindings (platform/Layout.tsx). Its own file, loaded only for such a
 * user: antd's Select (with its virtual list) is the largest piece of the frame, and a member has one binding.
 */
import type { RoleBinding } from '@xianfeng/shared';
import { Select } from 'antd';
import { bindingLabel, keyOf } from './auth';

export function BindingSelect({
  roles,
  current,
  onChange,
}: {
  roles: RoleBinding[];
  current: RoleBinding | null;
  onChange: (b: RoleBinding) => void;
}) {
  return (
    <Select
      aria-label="切换组织与角色"
      className="xf-switcher"
      value={current ? keyOf(current) : undefined}
      onChange={(k) => {
        const b = roles.find((r) => keyOf(r) === k);
        if (b) onChange(b);
      }}
      options={roles.map((b) => ({ value: keyOf(b), label: bindingLabel(b) }))}
      popupMatchSelectWidth={false}
    />
  );
}
