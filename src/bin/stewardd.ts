#!/usr/bin/env node
import { processIo } from "../cli/io.js";
import { runMain } from "../cli/run-main.js";
import { daemonMain } from "../daemon/main.js";

runMain("stewardd", () => daemonMain(process.argv.slice(2), processIo(), process.argv[1]), { daemon: true });
