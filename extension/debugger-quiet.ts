// JupyterLab 4.6's debugger refreshes its "Kernel Sources" after every execute_reply of a notebook,
// console or file (handler.executionDone → IDebugger.displayModules). A kernel that cannot debug,
// as tslab (its kernelspec has no `debugger: true`), never gets a debug session, so each run ends in
// an unhandled rejection, "No active debugger session", in the browser console. The kernel side
// cannot help: that is already how a kernel says it cannot debug. Without a session there is nothing
// to refresh, so the refresh is skipped; with one, JupyterLab's own method runs unchanged.
import { Debugger } from '@jupyterlab/debugger';

type Refresh = (this: { session: unknown }) => Promise<void>;

const QUIET = Symbol.for('opendata-lab:quiet-displayModules');

/**
 * Makes `displayModules` resolve without a debug session. Must run before the debugger's plugins
 * activate, because they bind the method once (`displayModules.bind(service)`); a module's top
 * level runs early enough: JupyterLab loads every extension's modules before it starts plugins.
 * Returns false when the debugger's service no longer has the method (nothing patched).
 */
export function quietDebuggerRefresh(
  target: object = Debugger.Service.prototype as unknown as object
): boolean {
  const proto = target as { displayModules?: Refresh & { [QUIET]?: true } };
  const original = proto.displayModules;
  if (typeof original !== 'function') {
    return false;
  }
  if (original[QUIET]) {
    return true;
  }
  const quiet: Refresh & { [QUIET]?: true } = async function (this: { session: unknown }) {
    if (!this.session) {
      return;
    }
    return original.call(this);
  };
  quiet[QUIET] = true;
  proto.displayModules = quiet;
  return true;
}
