/**
 * The fields of a 整改 issue — 问题标题, 问题描述, the measures and 整改期限 (today or later) — with their limits and
 * rules. A new 整改事项 (RectifyPage) and a 下达整改 from an assessment's lost points (assess) both make one supervise
 * item, so they ask for it in the same fields. `measures` is the third field's label: the branch writes its own
 * 整改措施, an assessor sets 整改要求. `children` stand between the measures and the deadline (a new item's 责任人).
 */
import { todayInChina } from '@xianfeng/shared';
import { DatePicker, Form, Input } from 'antd';
import type { Dayjs } from 'dayjs';
import type { ReactNode } from 'react';

/** What the fields hold. */
export type IssueValues = { title: string; finding: string; measures: string; deadline: Dayjs };

export function IssueFields({ measures, children }: { measures: '整改措施' | '整改要求'; children?: ReactNode }) {
  return (
    <>
      <Form.Item name="title" label="问题标题" rules={[{ required: true, message: '请填写问题标题' }]}>
        <Input aria-label="问题标题" maxLength={100} />
      </Form.Item>
      <Form.Item name="finding" label="问题描述" rules={[{ required: true, message: '请填写问题描述' }]}>
        <Input.TextArea aria-label="问题描述" autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
      </Form.Item>
      <Form.Item name="measures" label={measures} rules={[{ required: true, message: `请填写${measures}` }]}>
        <Input.TextArea aria-label={measures} autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
      </Form.Item>
      {children}
      <Form.Item name="deadline" label="整改期限" rules={[{ required: true, message: '请选择整改期限' }]}>
        <DatePicker
          aria-label="整改期限"
          disabledDate={(d) => d.format('YYYY-MM-DD') < todayInChina()}
          style={{ width: '100%' }}
        />
      </Form.Item>
    </>
  );
}
