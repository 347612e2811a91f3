#!/usr/bin/env node
import { processIo } from "../cli/io.js";
import { runMain } from "../cli/run-main.js";
import { ctlMain } from "../ctl/main.js";

runMain("stewardctl", () => ctlMain(process.argv.slice(2), processIo(), process.argv[1]));
