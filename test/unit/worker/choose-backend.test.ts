import { BackendName, chooseBackend } from '../../../container/src/backend/choose-backend';

const none = new Set<BackendName>();

describe('chooseBackend', () => {
  it('prefers tfjs-node-gpu when installed, as in the container image', () => {
    // given both native bindings
    // when / then
    expect(chooseBackend('infer', undefined, new Set(['tfjs-node-gpu', 'tfjs-node'])).name).toBe(
      'tfjs-node-gpu',
    );
  });

  it('uses tfjs-node when only the CPU binding is installed', () => {
    // given / when / then
    expect(chooseBackend('train', undefined, new Set(['tfjs-node'])).name).toBe('tfjs-node');
  });

  it('falls back to wasm for inference and for training without native bindings', () => {
    // given / when / then
    expect(chooseBackend('infer', undefined, none).name).toBe('wasm');
    expect(chooseBackend('train', '', none).name).toBe('wasm');
  });

  it('obeys the TFJS_BACKEND override', () => {
    // given native bindings but an override
    // when / then
    expect(chooseBackend('infer', 'cpu', new Set(['tfjs-node-gpu']))).toEqual({
      name: 'cpu',
      reason: 'TFJS_BACKEND override',
    });
  });

  it('rejects an unknown override naming the choices', () => {
    // given / when / then
    expect(() => chooseBackend('infer', 'webgpu', none)).toThrow(
      "TFJS_BACKEND: 'webgpu' is not one of tfjs-node-gpu, tfjs-node, wasm, cpu",
    );
  });

  it('rejects an override to a native binding that is not available, saying why', () => {
    // given / when / then
    expect(() =>
      chooseBackend(
        'infer',
        'tfjs-node-gpu',
        none,
        'libcudart.so.12: cannot open shared object file',
      ),
    ).toThrow(
      'TFJS_BACKEND: tfjs-node-gpu was requested but is not available: libcudart.so.12: cannot open shared object file',
    );
  });

  it('puts the reason the native binding is missing into the wasm fallback', () => {
    // given a setup that recorded a missing compiler
    const reason =
      '@tensorflow/tfjs-node not built: missing prerequisites: g++ (compiles the addon)';

    // when no override is set
    const choice = chooseBackend('train', undefined, none, reason);

    // then wasm is chosen and the log line names what is missing
    expect(choice.name).toBe('wasm');
    expect(choice.reason).toBe(`${reason}; wasm is the fastest portable backend for training`);
  });
});
