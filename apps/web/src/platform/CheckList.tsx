/**
 * A row of checkboxes choosing some of `options` — what antd's `Checkbox.Group` does, without its race: the group
 * passes on a click only for the values its checkboxes registered, which they do in an effect after they first
 * render, so a tap in the moment after the group appears (a card whose data just arrived, on a slow phone) reports
 * nothing chosen and is undone. Here each checkbox says what it toggles; the answer keeps the options' order.
 */
import { Checkbox } from 'antd';
import type { ReactNode } from 'react';

export function CheckList<T extends string>(props: {
  options: readonly { value: T; label: ReactNode }[];
  value: readonly T[];
  onChange: (next: T[]) => void;
  'aria-label'?: string;
  disabled?: boolean;
}) {
  const { options, value, onChange, disabled } = props;
  return (
    <div role="group" aria-label={props['aria-label']} style={{ display: 'flex', flexWrap: 'wrap', rowGap: 8 }}>
      {options.map((o) => (
        <Checkbox
          key={o.value}
          checked={value.includes(o.value)}
          disabled={disabled}
          onChange={(e) =>
            onChange(
              options
                .filter((x) => (x.value === o.value ? e.target.checked : value.includes(x.value)))
                .map((x) => x.value),
            )
          }
        >
          {o.label}
        </Checkbox>
      ))}
    </div>
  );
}
