#!/usr/bin/env node
import { processIo } from "../cli/io.js";
import { runMain } from "../cli/run-main.js";
import { stewardMain } from "../cli/steward-main.js";

runMain("steward", () => stewardMain(process.argv.slice(2), processIo(), process.argv[1]));
