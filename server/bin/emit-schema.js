#!/usr/bin/env node
// Writes schema.graphql at the repository root from the type-graphql schema.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
require('reflect-metadata');
const { printGraphQLSchema } = require('../dist/api/schema.js');

printGraphQLSchema().then((sdl) => {
  const target = path.join(__dirname, '..', '..', 'schema.graphql');
  fs.writeFileSync(target, sdl);
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
});
