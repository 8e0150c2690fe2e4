#!/usr/bin/env node
// Stop signals first: a capture interrupted while reef-cli is still loading ends cleanly too.
import { installStopSignals } from '../dist/signals.js';
installStopSignals();
await import('../dist/main.js');
