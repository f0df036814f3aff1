const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');
const reactHooks = require('eslint-plugin-react-hooks');

const backendBans = ['@nestjs/*', 'typeorm', 'pg', 'kafkajs', '@eventstore/*', '@apollo/*', 'graphql', 'express'];

module.exports = tseslint.config(
  { ignores: ['**/node_modules', '**/dist', '**/.nx', 'tools/kafka/.lib', 'tools/kafka/.data', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: false,
          depConstraints: [
            // What kind of project may use what.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:infrastructure', 'type:contracts', 'type:util', 'type:testing'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:infrastructure', 'type:contracts', 'type:util', 'type:testing'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: backendBans },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: backendBans },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: backendBans },
            { sourceTag: 'type:infrastructure', onlyDependOnLibsWithTags: ['type:infrastructure', 'type:contracts', 'type:util', 'type:testing'] },
            // Test fixtures stay below the code they test, so that every project's specs may use them.
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util'] },
            // Tools (data generator, benchmarks) drive the platform from outside, like the e2e tests: never a service's code.
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:infrastructure', 'type:contracts', 'type:util', 'type:testing'] },
            // Which part of the platform may use what: a service never imports another service.
            { sourceTag: 'scope:directory', onlyDependOnLibsWithTags: ['scope:directory', 'scope:shared', 'scope:contracts'] },
            { sourceTag: 'scope:inclusions', onlyDependOnLibsWithTags: ['scope:inclusions', 'scope:shared', 'scope:contracts'] },
            { sourceTag: 'scope:meetings', onlyDependOnLibsWithTags: ['scope:meetings', 'scope:shared', 'scope:contracts'] },
            { sourceTag: 'scope:training', onlyDependOnLibsWithTags: ['scope:training', 'scope:shared', 'scope:contracts'] },
            { sourceTag: 'scope:reporting', onlyDependOnLibsWithTags: ['scope:reporting', 'scope:shared', 'scope:contracts'] },
            { sourceTag: 'scope:notifications', onlyDependOnLibsWithTags: ['scope:shared', 'scope:contracts'] },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:shared', 'scope:contracts'] },
            // The dashboard runs in the browser and talks only to the gateway: no backend package, no Node library.
            { sourceTag: 'scope:dashboard', onlyDependOnLibsWithTags: ['scope:shared', 'scope:contracts'], bannedExternalImports: [...backendBans, 'jsonwebtoken', 'pino', 'zod', 'node:*'] },
            { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared', 'scope:contracts'] },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:shared', 'scope:contracts'] },
            { sourceTag: 'scope:contracts', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Shared infrastructure may know the integration contracts (messaging validates them), never a service.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', 'scope:contracts'] },
          ],
        },
      ],
    },
  },
  // Benchmarks and the demo loader measure or drive the apps' internals and the generator by relative path,
  // on purpose: they ship in no image and nothing imports them. Only these two folders are exempt.
  {
    files: ['tools/bench/**/*.ts', 'tools/demo/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  // The dashboard (React): the rules of hooks.
  {
    files: ['apps/dashboard/**/*.ts', 'apps/dashboard/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
);
