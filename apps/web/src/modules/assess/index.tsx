import { TrophyOutlined } from '@ant-design/icons';
import { RECORD_READERS } from '@xianfeng/shared';
import type { WebModule } from '../../platform/module';
import { lazyNamed } from '../../platform/lazy';
import './assess.css';

const AssessPage = lazyNamed(() => import('./AssessPage'), 'AssessPage');

/** 考核评价: indicator library, assessments of 党支部 (党建 + business KPIs), self-assessment, review, results and appeals. */
export const assessModule: WebModule = {
  routes: [{ path: '/assess', element: <AssessPage /> }],
  menu: [{ path: '/assess', label: '考核评价', icon: <TrophyOutlined />, roles: RECORD_READERS, order: 48 }],
};
