/**
 * The one date-and-time picker for when something starts or ends (meetings, lectures, volunteer activities, a
 * scheduled article): minutes in steps of 5, shown as 「2026-12-04 09:30」. On a phone its input is read-only, so a
 * tap opens the calendar rather than the keyboard, which would cover it. Five forms set these props by hand, and
 * three repeated the end field's rules (issue #15): `endAfterStart` is those rules, for a `Form.Item` that also
 * names `dependencies={['startsAt']}`.
 */
import { DatePicker, Grid, type DatePickerProps, type FormRule } from 'antd';
import type { Dayjs } from 'dayjs';

export function MinutePicker(props: DatePickerProps) {
  const phone = !Grid.useBreakpoint().md;
  return (
    <DatePicker
      showTime={{ format: 'HH:mm', minuteStep: 5 }}
      format="YYYY-MM-DD HH:mm"
      inputReadOnly={phone}
      {...props}
    />
  );
}

/** An end time: required, and later than the form's `start` field when that is filled in. */
export function endAfterStart(start = 'startsAt'): FormRule[] {
  return [
    { required: true, message: '请选择结束时间' },
    ({ getFieldValue }) => ({
      validator: (_, v: Dayjs | undefined) =>
        !v || !getFieldValue(start) || v.isAfter(getFieldValue(start) as Dayjs)
          ? Promise.resolve()
          : Promise.reject(new Error('结束时间须晚于开始时间')),
    }),
  ];
}
