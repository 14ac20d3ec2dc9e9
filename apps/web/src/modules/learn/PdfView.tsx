/**
 * The PDF reader (PdfReader.tsx) as the book and lesson pages use it: its code — pdf.js with it — is fetched only
 * when a PDF is opened, never with the app. If that code cannot be fetched (offline), the page says so and the
 * file can still be downloaded.
 */
import { Alert, Spin } from 'antd';
import { Component, lazy, Suspense, type ReactNode } from 'react';
import type { PdfReaderProps } from './PdfReader';

const PdfReader = lazy(() => import('./PdfReader'));

class ReaderBoundary extends Component<{ children: ReactNode; fallback: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

export function PdfView(props: PdfReaderProps) {
  return (
    <ReaderBoundary
      fallback={
        <Alert
          type="warning"
          showIcon
          role="alert"
          message="阅读器没有加载成功，请检查网络后刷新页面"
          description={
            <a
              href={props.url}
              target="_blank"
              rel="noreferrer"
              download={props.fileName}
              onClick={props.onOpenElsewhere}
            >
              下载 PDF：{props.fileName}
            </a>
          }
        />
      }
    >
      <Suspense
        fallback={
          <div className="xf-pdf xf-pdf-loading" role="status">
            <Spin /> 正在加载阅读器…
          </div>
        }
      >
        <PdfReader {...props} />
      </Suspense>
    </ReaderBoundary>
  );
}
