/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/core', '<rootDir>/bot', '<rootDir>/test', '<rootDir>/addin'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // jose ships ESM only; swc turns it into CommonJS for jest like our own sources.
    '^.+\\.(t|j|mj)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose)/)'],
  testTimeout: 30000,
};
