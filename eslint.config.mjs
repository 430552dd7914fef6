import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * Module boundaries that actually constrain (STYLE.md §1):
 *  - an app may use shared libs, never another app (services talk over HTTP/Kafka only);
 *  - contracts depend on nothing of ours (external subscribers import them);
 *  - runtime libs never import the testing lib; only tests and the testing lib may.
 */
export default [
  { ignores: ['**/node_modules', '**/dist', '.infra', 'tmp', '.nx', 'apps/admin-ui/dist'] },
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            // type:testing only for tests: runtime files are held back by no-restricted-imports below.
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib', 'type:testing'] },
            { sourceTag: 'type:example', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:shared', 'scope:gateway'] },
            { sourceTag: 'scope:registry', onlyDependOnLibsWithTags: ['scope:shared', 'scope:registry'] },
            { sourceTag: 'scope:oauth', onlyDependOnLibsWithTags: ['scope:shared', 'scope:oauth'] },
            { sourceTag: 'scope:acl', onlyDependOnLibsWithTags: ['scope:shared', 'scope:acl'] },
            { sourceTag: 'scope:config', onlyDependOnLibsWithTags: ['scope:shared', 'scope:config'] },
            { sourceTag: 'scope:examples', onlyDependOnLibsWithTags: ['scope:shared', 'scope:examples'] },
          ],
        },
      ],
    },
  },
  {
    // Only tests may reach for the testing harness.
    files: ['libs/{contracts,event-store,messaging,oauth1,service-kit}/src/**/*.ts', 'apps/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@integrations/testing', message: 'Runtime code must not depend on the test harness.' }] },
      ],
    },
  },
];
