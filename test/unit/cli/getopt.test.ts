import assert from "node:assert/strict";
import { test } from "node:test";
import { getopt } from "../../../src/cli/getopt.js";

const defs = [
  { short: "c", long: "configuration", takesValue: true },
  { short: "n", long: "nodaemon", takesValue: false },
  { short: "e", long: "loglevel", takesValue: true },
  { long: "logfile", takesValue: true },
];
const flat = (args: string[]) => getopt(args, defs).options.map((o) => [o.flag, o.value]);

test("short options cluster and take attached or separate values", () => {
  assert.deepEqual(flat(["-nc", "f.conf"]), [
    ["-n", null],
    ["-c", "f.conf"],
  ]);
  assert.deepEqual(flat(["-cf.conf", "-e", "debug"]), [
    ["-c", "f.conf"],
    ["-e", "debug"],
  ]);
});

test("long options may be abbreviated to a unique prefix and take =value", () => {
  assert.deepEqual(flat(["--config=f", "--nod", "--loglevel", "info"]), [
    ["--configuration", "f"],
    ["--nodaemon", null],
    ["--loglevel", "info"],
  ]);
  assert.throws(() => getopt(["--log=x"], defs), { message: "option --log not a unique prefix" });
});

test("getopt's error messages", () => {
  assert.throws(() => getopt(["--bogus"], defs), { message: "option --bogus not recognized" });
  assert.throws(() => getopt(["-x"], defs), { message: "option -x not recognized" });
  assert.throws(() => getopt(["-c"], defs), { message: "option -c requires argument" });
  assert.throws(() => getopt(["--nodaemon=1"], defs), {
    message: "option --nodaemon must not have an argument",
  });
});

test("positionals stop option parsing", () => {
  assert.deepEqual(getopt(["-n", "extra", "-c", "x"], defs).positionals, ["extra", "-c", "x"]);
  assert.deepEqual(getopt(["--", "-n"], defs).positionals, ["-n"]);
});
