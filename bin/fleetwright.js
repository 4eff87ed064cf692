#!/usr/bin/env node
// The `fleetwright` command. Runs the TypeScript sources through tsx, so the command works straight from a
// clone after `npm install` (`npx fleetwright <command>` from the project root).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../shared/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
