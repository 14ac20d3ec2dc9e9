// One lint setup for the whole monorepo: typescript-eslint's recommended rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'apps/server/migrations/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        window: 'readonly',
        document: 'readonly',
        localStorage: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Chinese documents indent paragraphs with the full-width space U+3000.
      'no-irregular-whitespace': ['error', { skipTemplates: true, skipStrings: true }],
      // User text is plain text, rendered escaped by React. Xianfeng accepts no rich text, so there is
      // no HTML to sanitize — as long as nothing turns text into markup. e2e/xss.e2e.test.ts proves it.
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: '不得渲染 HTML：用户文本一律按纯文本显示（见 docs/security.md）',
        },
        {
          selector: 'MemberExpression[property.name=/^(innerHTML|outerHTML)$/]',
          message: '不得写入 HTML：用户文本一律按纯文本显示（见 docs/security.md）',
        },
        {
          selector:
            "CallExpression[callee.property.name=/^(insertAdjacentHTML|write)$/][callee.object.name='document']",
          message: '不得写入 HTML（见 docs/security.md）',
        },
        // The web's one checklist (docs/architecture.md "Web app"): antd's group drops a tap made right after it
        // appears, and its choices are small on a phone.
        {
          selector: "JSXMemberExpression[object.name='Checkbox'][property.name='Group']",
          message:
            '多选请用 apps/web/src/platform/CheckList.tsx，不用 Checkbox.Group（它会丢掉刚出现时的点击，手机上选项过小）',
        },
      ],
    },
  },

  // Module boundaries (docs/architecture.md "Module boundaries"): outside a module, only its public surface —
  // `service.ts` (what it does and the tables others may read) or its manifest `index.ts` — may be imported, never
  // its schema, routes or helpers. Tests may reach inside the module they test.
  ...[
    ['apps/server/src/modules/*/*.ts', '^\\.\\./(?!(platform|testing|demo)/)[a-z-]+/(?!(service|index)$)'],
    ['apps/server/src/modules/*/*/*.ts', '^\\.\\./\\.\\./(?!(platform|testing|demo)/)[a-z-]+/(?!(service|index)$)'],
    ['apps/server/src/{platform,demo}/**/*.ts', '^(\\.\\./)+modules/[a-z-]+/(?!(service|index)$)'],
  ].map(([files, regex]) => ({
    files: [files],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex, message: '只能引用其他模块的 service.ts（公开接口）或 index.ts；不得引用其 schema 或内部文件。' },
          ],
        },
      ],
    },
  })),
);
