/** The process-machine test fixture: supervisord's defaults for a program named `web`, and a start time. */
import type { MachineConfig } from "../../src/process/machine.js";

export const WEB_CONFIG: MachineConfig = {
  name: "web",
  autostart: true,
  autorestart: "unexpected",
  startsecs: 1,
  startretries: 3,
  exitcodes: [0],
  stopsignal: 15,
  stopwaitsecs: 10,
  stopasgroup: false,
  killasgroup: false,
};

/** Times in the tests are offsets from T0 (a real clock is never near 0, which means "never started"). */
export const T0 = 1_000_000;
