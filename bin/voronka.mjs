#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx's loader in this same process), so that
// `npm install && npm start` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
