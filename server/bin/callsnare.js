#!/usr/bin/env node
// The `callsnare` operator CLI. Runs the compiled server (npm install builds it).
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const entry = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('callsnare: the server is not built; run `npm install` (or `npm run build`) first\n');
  process.exit(1);
}
require(entry)
  .runCli(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
