#!/usr/bin/env node
import { processIo } from "../cli/io.js";
import { ignoreClosedStdout } from "../cli/stdout.js";
import { ctlMain } from "../ctl/main.js";

ignoreClosedStdout();
process.exitCode = ctlMain(process.argv.slice(2), processIo(), process.argv[1]);
