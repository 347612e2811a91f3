/**
 * `steward doctor`: load the configuration, read it as a deployment, gather the facts the checks need
 * (files through DoctorIo, then listening and connecting tests and the daemon's answers, in parallel),
 * then run the pure checks.
 */
import type { CtlOptions } from "../config/load-ctl.js";
import type { LoadOutcome } from "./checks/config.js";
import { daemonTarget } from "./daemon-target.js";
import { ConfigPlaces, type Deployment, describeDeployment } from "./deployment.js";
import { diagnose, probesFor } from "./diagnose.js";
import {
  type BindResult,
  type ConnectResult,
  type DaemonFacts,
  type DaemonTarget,
  endpointKey,
  type NetworkFacts,
} from "./facts.js";
import type { DoctorFiles } from "./files.js";
import type { Finding } from "./finding.js";
import { resolvePath } from "./paths-util.js";

export interface DoctorRequest {
  readonly file: string;
  /** Skip ports, services and the daemon (a config checked away from its host). */
  readonly offline: boolean;
  /** For each connect, listen and RPC call. */
  readonly timeoutMs: number;
}

export interface DoctorIo {
  readonly files: DoctorFiles;
  readonly env: ReadonlyMap<string, string>;
  readonly cwd: string;
  readonly uid: number;
  load(file: string): LoadOutcome;
  ctl(file: string): CtlOptions | null;
  bind(host: string, port: number, timeoutMs: number): Promise<BindResult>;
  connect(host: string, port: number, timeoutMs: number): Promise<ConnectResult>;
  daemon(target: DaemonTarget, timeoutMs: number): Promise<DaemonFacts>;
}

async function gatherNetwork(d: Deployment, io: DoctorIo, timeoutMs: number): Promise<NetworkFacts> {
  const probes = probesFor(d);
  const binds = new Map<string, BindResult>();
  const connects = new Map<string, ConnectResult>();
  await Promise.all([
    ...probes.binds.map(async ({ host, port }) => {
      const key = endpointKey(host, port);
      if (!binds.has(key)) binds.set(key, await io.bind(host, port, timeoutMs));
    }),
    ...probes.connects.map(async ({ host, port }) => {
      connects.set(endpointKey(host, port), await io.connect(host, port, timeoutMs));
    }),
  ]);
  return { binds, connects, timeoutMs };
}

export async function runDoctor(request: DoctorRequest, io: DoctorIo): Promise<Finding[]> {
  const load = io.load(request.file);
  const config = load.config;
  const base = { load, files: io.files, cwd: io.cwd, uid: io.uid };
  if (config === null) {
    return diagnose({ ...base, deployment: null, network: null, daemon: { kind: "none" } });
  }
  const texts = new Map<string, string>();
  for (const name of config.files) {
    const text = io.files.readText(resolvePath(name, io.cwd));
    if (text !== null) texts.set(name, text);
  }
  const deployment = describeDeployment(config, ConfigPlaces.fromTexts(texts), {
    files: io.files,
    env: io.env,
    cwd: io.cwd,
  });
  if (request.offline) {
    return diagnose({ ...base, deployment, network: null, daemon: { kind: "offline" } });
  }
  const target = daemonTarget(config, io.ctl(request.file));
  const [network, daemon] = await Promise.all([
    gatherNetwork(deployment, io, request.timeoutMs),
    target === null ? Promise.resolve<DaemonFacts>({ kind: "none" }) : io.daemon(target, request.timeoutMs),
  ]);
  return diagnose({ ...base, deployment, network, daemon });
}
