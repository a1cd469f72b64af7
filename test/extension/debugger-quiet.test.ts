// JupyterLab's own DebuggerService: without a debug session (a kernel that cannot debug, as tslab)
// displayModules rejected on every cell run; patched, it resolves, and with a session it still asks.
import { Debugger } from '@jupyterlab/debugger';
import { quietDebuggerRefresh } from '../../extension/debugger-quiet';

function service(): Debugger.Service {
  return new Debugger.Service({ config: new Debugger.Config() });
}

describe('quietDebuggerRefresh', () => {
  it("JupyterLab's displayModules rejects without a session; patched, it resolves", async () => {
    await expect(service().displayModules()).rejects.toThrow('No active debugger session');
    expect(quietDebuggerRefresh()).toBe(true);
    expect(quietDebuggerRefresh()).toBe(true); // once only: the second call keeps the first patch
    const quiet = service();
    expect(quiet.session).toBeNull();
    await expect(quiet.displayModules()).resolves.toBeUndefined();
  });

  it("with a session, JupyterLab's own method runs and asks the kernel for its modules", async () => {
    const s = service();
    const requests: string[] = [];
    // The part of a debug session displayModules uses.
    s.session = {
      sendRequest: async (command: string) => {
        requests.push(command);
        return { body: { modules: [{ name: 'm', path: '/x/m.py' }] } };
      },
      eventMessage: { connect: () => true },
      dispose: () => undefined
    } as unknown as Debugger.Session;
    await s.displayModules();
    expect(requests).toEqual(['modules']);
  });

  it('leaves a service without displayModules alone', () => {
    expect(quietDebuggerRefresh({})).toBe(false);
  });
});
