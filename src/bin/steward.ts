#!/usr/bin/env node
import { processIo } from "../cli/io.js";
import { ignoreClosedStdout } from "../cli/stdout.js";
import { stewardMain } from "../cli/steward-main.js";

ignoreClosedStdout();
process.exitCode = stewardMain(process.argv.slice(2), processIo(), process.argv[1]);
