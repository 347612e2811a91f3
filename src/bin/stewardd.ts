#!/usr/bin/env node
import { processIo } from "../cli/io.js";
import { ignoreClosedStdout } from "../cli/stdout.js";
import { daemonMain } from "../daemon/main.js";

ignoreClosedStdout();
process.exitCode = daemonMain(process.argv.slice(2), processIo(), process.argv[1]);
