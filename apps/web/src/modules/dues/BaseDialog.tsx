/** 核定党费基数 for one member: base in 元, from which month, category; the amount and rule shown live. */
import { DUES_CATEGORIES, DUES_CATEGORY_LABELS, quoteDues, type DuesCategory } from '@xianfeng/shared';
import { Form, Input, Select } from 'antd';
import { api } from '../../platform/api';
import { MonthPicker } from './common';
import { rateText, thisMonth, toFen, yuan } from './format';
import type { DuesBase } from './types';
import { FormDialog } from '../../platform/FormDialog';

type BaseForm = { base: string; effectiveFrom: string; category: DuesCategory; note?: string };

export type BaseTarget = { memberId: string; memberName: string; category: string; base: DuesBase | null };

export function BaseDialog({ target, onClose }: { target: BaseTarget | null; onClose: (saved?: DuesBase) => void }) {
  const [form] = Form.useForm<BaseForm>();
  const base = Form.useWatch('base', form);
  const category = Form.useWatch('category', form);
  const fen = toFen(base);
  let preview = '';
  if (fen !== undefined && category) {
    try {
      const q = quoteDues(category, fen);
      preview = `每月应交 ${yuan(q.monthlyFen)}（${rateText(q.rateBp)}）`;
    } catch {
      preview = '';
    }
  }
  return (
    <FormDialog<BaseForm>
      title={target ? `核定党费基数：${target.memberName}` : ''}
      open={Boolean(target)}
      onClose={() => onClose()}
      form={form}
      initialValues={
        target
          ? {
              base: target.base ? (target.base.monthlyBaseFen / 100).toFixed(2) : '',
              effectiveFrom: thisMonth(),
              category: (target.base?.category ?? target.category) as DuesCategory,
              note: '',
            }
          : undefined
      }
      onSubmit={async (v) => {
        if (!target) return;
        const saved = await api.post<DuesBase>(`/members/${target.memberId}/dues-bases`, {
          monthlyBaseFen: toFen(v.base),
          effectiveFrom: v.effectiveFrom,
          category: v.category,
          ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        });
        onClose(saved);
      }}
    >
      <Form.Item name="category" label="党费类别" rules={[{ required: true }]}>
        <Select options={DUES_CATEGORIES.map((c) => ({ value: c, label: DUES_CATEGORY_LABELS[c] }))} />
      </Form.Item>
      <Form.Item
        name="base"
        label="月核定基数（元）"
        extra={preview || '税后工资扣除五险一金、年金；离退休为实际领取的离退休费；定额类别填 0'}
        rules={[
          { required: true, message: '请填写月基数' },
          {
            validator: (_, v) =>
              !v || toFen(v) !== undefined ? Promise.resolve() : Promise.reject(new Error('请填写金额，如 4500.00')),
          },
        ]}
      >
        <Input inputMode="decimal" suffix="元" />
      </Form.Item>
      <Form.Item name="effectiveFrom" label="自哪个月起适用" rules={[{ required: true, message: '请选择月份' }]}>
        <MonthPicker aria-label="自哪个月起适用" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="note" label="备注">
        <Input maxLength={200} placeholder="如：按 2026 年工资表核定" />
      </Form.Item>
    </FormDialog>
  );
}
