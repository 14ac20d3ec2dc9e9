/**
 * A dialog that is one form: a title, the fields, and an OK button (保存 unless told) that submits them. What every
 * such dialog wrote by hand is here once:
 *
 * - Every opening starts from `initialValues`, with no message left from the last attempt: the dialog's content is
 *   destroyed when it closes, the form's values are cleared with it (`clearOnDestroy`), and cancelling clears the
 *   error. A dialog for another record (its values in `initialValues`) therefore shows that record's values.
 * - OK validates the fields; valid values go to `onSubmit` through `useSubmit`: the button spins while it runs, and a
 *   refusal is shown above the fields with what was typed kept — scrolled into view, since in a tall dialog (新建投票
 *   with its candidates) the top is out of sight when OK is pressed. Closing after success is `onSubmit`'s own step
 *   (it calls the caller's close, reload or navigation), so a refused save leaves the dialog open.
 * - `intro` is the sentence between that message and the fields (the rule that applies, what will happen next).
 *
 * `form` is for fields that read or set each other (`Form.useWatch`, a lookup that fills coordinates); `onError`
 * replaces the message above the fields (e.g. to mark the fields the server named).
 */
import { Alert, App as AntApp, Form, Modal, type FormInstance, type FormProps } from 'antd';
import { useEffect, useRef, type ReactNode } from 'react';
import { useSubmit } from './useSubmit';

export function FormDialog<T extends object>({
  title,
  open,
  onClose,
  onSubmit,
  okText = '保存',
  cancelText,
  danger = false,
  width,
  intro,
  initialValues,
  form: given,
  name,
  className,
  onError,
  children,
}: {
  title: ReactNode;
  open: boolean;
  /** Cancel, the close button, Esc or a click outside. */
  onClose: () => void;
  /** The valid values; throws to refuse (its message is shown above the fields). */
  onSubmit: (values: T) => Promise<unknown>;
  okText?: string;
  cancelText?: string;
  /** The OK button is red: the dialog's action cannot be undone (取消活动). */
  danger?: boolean;
  width?: number;
  intro?: ReactNode;
  initialValues?: FormProps<T>['initialValues'];
  form?: FormInstance<T>;
  /** The form's name: its fields' ids are `<name>_<field>`. */
  name?: string;
  /** Of the form (styles of its fields). */
  className?: string;
  onError?: (e: unknown) => void;
  children: ReactNode;
}) {
  const [form] = Form.useForm<T>(given);
  const { busy, error, setError, run } = useSubmit();
  const refusal = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) refusal.current?.scrollIntoView({ block: 'nearest' });
  }, [error]);
  return (
    <Modal
      title={title}
      open={open}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      onOk={() => form.submit()}
      okText={okText}
      cancelText={cancelText}
      okButtonProps={danger ? { danger: true } : undefined}
      confirmLoading={busy}
      width={width}
      destroyOnHidden
    >
      {error && (
        <div ref={refusal}>
          <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />
        </div>
      )}
      {intro}
      <Form<T>
        form={form}
        name={name}
        className={className}
        layout="vertical"
        initialValues={initialValues}
        clearOnDestroy
        onFinish={(values) => run(() => onSubmit(values), onError ? { onError } : {})}
      >
        {children}
      </Form>
    </Modal>
  );
}

/**
 * The `onClose(saved)` of a dialog that saves into a list: it closes the dialog and, when something was saved, says
 * so (`done`, which may read what was saved: a receipt number, an amount) and reloads the list. The callers of
 * eleven dialogs (dues, meeting, thought, voice) wrote these lines out.
 */
export function useAfterSave() {
  const { message } = AntApp.useApp();
  return <S,>(close: () => void, done: string | ((saved: S) => string), reload: () => unknown) =>
    (saved?: S | false | null) => {
      close();
      if (saved) {
        void message.success(typeof done === 'string' ? done : done(saved));
        void reload();
      }
    };
}
