/** FileFacts of this machine: stat and execute permission, as resolveCommand asks for them. */
import { accessSync, constants as fsConstants, statSync } from "node:fs";
import type { FileFacts } from "./command-line.js";

/** The file system as resolveCommand asks it. */
export const systemFiles: FileFacts = {
  stat(path) {
    try {
      const st = statSync(path);
      return { isDirectory: st.isDirectory(), mode: st.mode };
    } catch {
      return null;
    }
  },
  canExecute(path) {
    try {
      accessSync(path, fsConstants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};
