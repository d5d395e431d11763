#!/usr/bin/env node
// The same as bin/mqscope.cjs (package.json's "bin"), for scripts and tests that name this file.
import './mqscope.cjs';
