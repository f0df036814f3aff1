// Runs the TypeScript sources directly (swc, with decorator metadata and the tsconfig path aliases).
const path = require('node:path');
process.env.SWC_NODE_PROJECT ??= path.join(__dirname, '..', 'tsconfig.base.json');
require('@swc-node/register');
