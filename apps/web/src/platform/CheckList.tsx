/**
 * The web's one checklist: checkboxes choosing some of `options`, on its own (`value`, `onChange`) or as a form
 * field (an antd `Form.Item` gives it `id`, `value` and `onChange`). Use it, not antd's `Checkbox.Group`, which has
 * a race: the group passes on a click only for the values its checkboxes registered, which they do in an effect
 * after they first render, so a tap in the moment after the group appears (a card whose data just arrived, on a
 * slow phone) reports nothing chosen and is undone. Here each checkbox says what it toggles; the answer keeps the
 * options' order.
 *
 * On a phone every choice is a tap target of at least 44 × 44 px, 48 in 大字模式 (`.xf-checklist` in styles.css):
 * many members are over 60.
 */
import { Checkbox } from 'antd';
import { Fragment, type ReactNode } from 'react';

export type CheckOption<T> = { value: T; label: ReactNode; disabled?: boolean };

export function CheckList<T extends string | number>(props: {
  options: readonly CheckOption<T>[];
  value?: readonly T[];
  onChange?: (next: T[]) => void;
  id?: string;
  'aria-label'?: string;
  disabled?: boolean;
  /** One choice a line (answers to a question, long labels); without it they wrap several to a line. */
  column?: boolean;
  /** At most this many can be chosen: the others are disabled once that many are (每人最多选 N 项). */
  max?: number;
  className?: string;
  /** Puts the checkbox (`box`) of `options[index]` inside what the page shows around it, e.g. a candidate's card. */
  renderItem?: (option: CheckOption<T>, box: ReactNode, index: number) => ReactNode;
}) {
  const { options, onChange, disabled, max, renderItem } = props;
  const value = props.value ?? [];
  const full = max !== undefined && value.length >= max;
  return (
    <div
      role="group"
      id={props.id}
      aria-label={props['aria-label']}
      className={['xf-checklist', props.column && 'xf-checklist-column', props.className].filter(Boolean).join(' ')}
    >
      {options.map((o, i) => {
        const checked = value.includes(o.value);
        const box = (
          <Checkbox
            key={o.value}
            checked={checked}
            disabled={disabled || o.disabled || (full && !checked)}
            onChange={(e) =>
              onChange?.(
                options
                  .filter((x) => (x.value === o.value ? e.target.checked : value.includes(x.value)))
                  .map((x) => x.value),
              )
            }
          >
            {o.label}
          </Checkbox>
        );
        return renderItem ? <Fragment key={o.value}>{renderItem(o, box, i)}</Fragment> : box;
      })}
    </div>
  );
}
