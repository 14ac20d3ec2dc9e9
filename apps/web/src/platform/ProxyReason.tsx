/**
 * 代为填写 (issue 24): the one field every "entered on the member's behalf" form has — why the branch enters it.
 * The server keeps it in the audit (ProxyReason in packages/shared); the record itself says who entered it.
 */
import { Form, Select } from 'antd';

const PROXY_REASONS = ['本人没有智能手机，口述代录', '本人不会使用手机，口述代录', '本人交来书面材料，代为录入'];

export function ProxyReasonField() {
  return (
    <Form.Item
      name="reason"
      label="代为填写的原因"
      initialValue={PROXY_REASONS[0]}
      rules={[{ required: true, message: '请写明代为填写的原因' }]}
    >
      <Select aria-label="代为填写的原因" options={PROXY_REASONS.map((r) => ({ value: r, label: r }))} />
    </Form.Item>
  );
}
